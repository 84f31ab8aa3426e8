"""What changed in a post since its reviewer last decided: word by word, for the post's fields
and for each account whose own text or media changed (the others are left out)."""

import difflib
import re

from django.utils.translation import gettext as _

from campaigns.models import Post
from campaigns.selectors.posts import post_revisions

# A word with the spaces after it: a change shows as whole words, and the spacing stays.
_WORD = re.compile(r"\S+\s*|\s+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` into ``new`` as (kind, text) segments, kind "same", "del" or "add"; neighbouring
    words of one kind are one segment."""
    before, after = _WORD.findall(old or ""), _WORD.findall(new or "")
    segments: list[tuple[str, str]] = []

    def push(kind: str, words: list[str]) -> None:
        if not words:
            return
        if segments and segments[-1][0] == kind:
            segments[-1] = (kind, segments[-1][1] + "".join(words))
        else:
            segments.append((kind, "".join(words)))

    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("same", before[i1:i2])
        else:
            push("del", before[i1:i2])
            push("add", after[j1:j2])
    return segments


def _account_changes(old_variants: list[dict], new_variants: list[dict]) -> list[dict]:
    """One change per account added, removed, or whose own text or media changed."""
    old = {v["account_id"]: v for v in old_variants}
    new = {v["account_id"]: v for v in new_variants}
    changes = []
    for account_id in sorted(old.keys() | new.keys()):
        before, after = old.get(account_id), new.get(account_id)
        if before and after:
            if (before["text"], before.get("media_ids")) == (after["text"], after.get("media_ids")):
                continue
            segments = word_diff(before["text"], after["text"])
            if before["text"] == after["text"]:
                segments = [("same", _("Its own media changed."))]
            changes.append({"label": after["account"], "segments": segments})
        elif after is not None:
            text = after["text"] or _("(the post's text)")
            changes.append({"label": after["account"], "segments": [("add", text)], "added": True})
        elif before is not None:
            text = before["text"] or _("(the post's text)")
            changes.append(
                {"label": before["account"], "segments": [("del", text)], "removed": True}
            )
    return changes


def post_revision_diff(post: Post) -> list[dict]:
    """What changed since the reviewer last decided (or since the first version): at most one
    {"from", "to", "changes"} entry, each change a label and its word segments."""
    revisions = list(post_revisions(post))
    if len(revisions) < 2:
        return []
    base_version = post.reviewed_version or revisions[0].version
    base = next((r for r in revisions if r.version == base_version), revisions[0])
    current = revisions[-1]
    if base.version == current.version:
        return []
    changes = []
    for key, label in (
        ("title", _("Internal title")),
        ("text", _("Text")),
        ("link", _("Link")),
        ("first_comment", _("First comment")),
    ):
        old, new = str(base.snapshot.get(key, "")), str(current.snapshot.get(key, ""))
        if old != new:
            changes.append({"label": label, "segments": word_diff(old, new)})
    changes += _account_changes(
        base.snapshot.get("variants", []), current.snapshot.get("variants", [])
    )
    return [{"from": base.version, "to": current.version, "changes": changes}]
