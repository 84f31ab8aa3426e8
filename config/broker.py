"""The embedded broker: kombu's filesystem transport, made safe for several processes.

Why: kombu's ``filesystem`` transport creates each message file under its final name and then
writes into it, and the reader neither waits for the writer's lock nor expects a partial
file. A worker that lists the queue folder between the two reads an empty or half-written file,
``json.loads`` raises ``JSONDecodeError`` inside the consumer, and the worker stops consuming
(seen in the embedded default: posts due stayed "scheduled" until the worker was restarted).
The same race exists for the exchange tables in the control folder (broadcasts).

What this transport changes, and nothing else:

* a message is written to a hidden temporary name in the same folder, flushed, then renamed
  to its final ``.msg`` name: ``os.replace`` is atomic, so a reader sees a whole file or none;
* a reader claims a message by renaming it into the processed folder on the same file system
  (one rename succeeds; kombu's default moves it to /tmp, a copy across file systems that two
  workers can both make);
* a message file that still cannot be decoded (written by an older process, a full disk, a
  hand edit) is moved to ``<broker>/unreadable/`` with an error in the log, and the worker goes
  on with the next message instead of dying;
* an exchange table is created atomically too, and an unreadable one counts as empty.

Selected by ``CELERY_BROKER_TRANSPORT = "config.broker:Transport"`` (config/settings/celery.py)
when no Redis is configured. See docs/operations.md and decision 17 in docs/decisions.md.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads
from kombu.utils.objects import cached_property

logger = logging.getLogger(__name__)

TEMP_PREFIX = ".tmp-"  # never matches "<time>_<uuid>.<queue>.msg", so never read as a message


def write_atomically(folder: str | os.PathLike, name: str, data: bytes) -> Path:
    """Write ``data`` to ``folder/name`` so that no reader ever sees a partial file."""
    folder = Path(folder)
    temp = folder / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        target = folder / name
        os.replace(temp, target)
    except OSError:
        temp.unlink(missing_ok=True)
        raise
    return target


class Channel(filesystem.Channel):
    """kombu's filesystem channel with atomic writes and a reader that survives a bad file."""

    # ------------------------------------------------------------------ messages

    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        try:
            write_atomically(self.data_folder_out, name, str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {name!r} to directory") from exc

    def _get(self, queue):
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            claimed = Path(self.processed_folder) / name
            try:
                # The claim: one rename wins; a file another worker took is simply gone.
                os.replace(Path(self.data_folder_in) / name, claimed)
            except OSError:
                continue
            try:
                raw = claimed.read_bytes()
            except OSError as exc:
                raise ChannelError(f"Cannot read file {str(claimed)!r} from queue.") from exc
            try:
                message = loads(bytes_to_str(raw))
            except ValueError:  # JSONDecodeError, UnicodeDecodeError
                self._quarantine(claimed, len(raw))
                continue
            if not self.store_processed:
                claimed.unlink(missing_ok=True)
            return message
        raise Empty()

    def _quarantine(self, path: Path, size: int) -> None:
        folder = Path(
            self.transport_options.get("unreadable_folder")
            or Path(self.data_folder_in).parent / "unreadable"
        )
        folder.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(path, folder / path.name)
        except OSError:
            path.unlink(missing_ok=True)
        logger.error(
            "broker: message file %s (%d bytes) is not readable JSON; moved to %s and skipped",
            path.name,
            size,
            folder,
        )

    @cached_property
    def processed_folder(self):
        # Always a folder beside the queue (same file system: the claim is a rename). kombu's
        # default, when store_processed is off, is the system temporary folder.
        folder = self.transport_options.get("processed_folder") or "processed"
        Path(folder).mkdir(parents=True, exist_ok=True)
        return folder

    # ------------------------------------------------------------------ exchange tables

    def get_table(self, exchange):
        try:
            return super().get_table(exchange)
        except ValueError:
            # An exchange table being created by another process (or damaged): no binding is
            # known yet; the next broadcast reads it again.
            logger.warning("broker: exchange table %r is not readable yet", exchange)
            return []

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        if not file.exists():
            entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
            try:
                # Create it whole under a temporary name, then link it in place: os.link fails
                # if another process created it meanwhile, and the update below takes over.
                temp = write_atomically(
                    self.control_folder,
                    f"{TEMP_PREFIX}{uuid.uuid4().hex}.new",
                    str_to_bytes(dumps([entry])),
                )
                try:
                    os.link(temp, file)
                    return
                except FileExistsError:
                    pass
                finally:
                    temp.unlink(missing_ok=True)
            except OSError as exc:
                raise ChannelError(f"Cannot open {file}") from exc
        try:
            super()._queue_bind(exchange, routing_key, pattern, queue)
        except ValueError:
            # An empty or damaged table (a writer died half-way): start it again whole with
            # this binding; the other queues bind again when their consumers (re)start.
            logger.warning("broker: exchange table %r was not readable; rewritten", exchange)
            entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
            write_atomically(self.control_folder, file.name, str_to_bytes(dumps([entry])))


class Transport(filesystem.Transport):
    Channel = Channel
