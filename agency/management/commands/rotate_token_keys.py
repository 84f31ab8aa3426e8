"""Re-encrypt every encrypted column (network tokens, app secrets, webhook signing secrets)
with the first TOKEN_ENCRYPTION_KEYS key.

Rotation: put the new key first in TOKEN_ENCRYPTION_KEYS (keep the old ones after it), deploy,
run this command, then remove the old keys. Safe to run twice; never prints a secret. The
columns come from ``core.crypto.encrypted_columns`` (every ``*_encrypted`` column of every
model), so a new encrypted column is rotated without being listed here. It lives in the tenancy
app because it spans agencies: a key protects every agency's secrets, so the database is told
so (``across_agencies``, agency/rls.py).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from agency.rls import across_agencies
from core.crypto import encrypted_columns, reencrypt


class Command(BaseCommand):
    help = "Re-encrypt every stored secret with the first key of TOKEN_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        counts = []
        for model, columns in encrypted_columns():
            # The base manager spans agencies on purpose: a key protects every agency's secrets.
            with across_agencies():
                done = self._rotate(model._base_manager, columns)
            counts.append(f"{done} {model._meta.verbose_name_plural}")
        self.stdout.write(self.style.SUCCESS("Re-encrypted " + ", ".join(counts) + "."))

    def _rotate(self, manager, columns: list[str], batch: int = 500) -> int:
        done = 0
        ids = list(manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            with transaction.atomic():
                rows = manager.select_for_update().filter(pk__in=ids[start : start + batch])
                for row in rows:
                    for column in columns:
                        setattr(row, column, reencrypt(getattr(row, column)))
                    row.save(update_fields=columns)
                    done += 1
        return done
