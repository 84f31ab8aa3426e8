"""Compile every locale/*/LC_MESSAGES/*.po to .mo with polib: no gettext binary needed.

Fails loudly (exit status 1, the file and the reason on stderr) on a catalogue that does not
parse or whose translation drops or invents a ``%(name)s`` placeholder, which would otherwise
crash the page that renders it. Fuzzy and obsolete entries are left out, as msgfmt does.

Usage: python scripts/compile_translations.py [LOCALE_DIR]
"""

import os
import re
import sys
import tempfile
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
# Python's %-format placeholders: %(name)s, %s, %d, %%; the brace kind is not checked.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")


class CatalogueError(Exception):
    pass


def _placeholders(text: str) -> tuple[set[str], int]:
    """The named placeholders of a string, and how many positional ones it has."""
    named, positional = set(), 0
    for match in PLACEHOLDER.finditer(text):
        if match.group(0) == "%%":
            continue
        if match.group("name"):
            named.add(match.group("name"))
        else:
            positional += 1
    return named, positional


def _check_entry(entry: polib.POEntry) -> str | None:
    """Why this translation would fail when formatted, or None.

    A translation may leave out a named placeholder (a dict ignores unused keys) but not add
    one (KeyError), and must keep the number of positional ones (TypeError).
    """
    if "python-format" not in entry.flags:
        return None
    named, positional = _placeholders(entry.msgid)
    if entry.msgid_plural:
        plural_named, _ = _placeholders(entry.msgid_plural)
        named |= plural_named
    translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
    for text in translations:
        if not text:
            continue  # untranslated: the msgid is shown, nothing to check
        got_named, got_positional = _placeholders(text)
        if got_named - named:
            return f"unknown placeholder(s) {sorted(got_named - named)} in {text!r}"
        if got_positional != positional and not entry.msgid_plural:
            return f"{got_positional} positional placeholder(s) in {text!r}, {positional} expected"
    return None


def compile_catalogue(po_path: Path) -> Path:
    """Write the .mo next to the .po, atomically. Raises CatalogueError with the reason."""
    try:
        catalogue = polib.pofile(str(po_path), check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"{po_path}: {exc}") from None
    problems = []
    for entry in catalogue.translated_entries():
        reason = _check_entry(entry)
        if reason:
            where = f"line {entry.linenum}" if entry.linenum else "an entry"
            problems.append(f"{po_path}, {where} (msgid {entry.msgid!r}): {reason}")
    if problems:
        raise CatalogueError("\n".join(problems))
    mo_path = po_path.with_suffix(".mo")
    fd, tmp = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    os.close(fd)
    try:
        catalogue.save_as_mofile(tmp)
        os.replace(tmp, mo_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return mo_path


def main(argv: list[str]) -> int:
    locale_dir = Path(argv[1]) if len(argv) > 1 else BASE_DIR / "locale"
    catalogues = sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))
    if not catalogues:
        print(f"compile_translations: no catalogues under {locale_dir}; nothing to do.")
        return 0
    failed = []
    for po_path in catalogues:
        try:
            compile_catalogue(po_path)
        except CatalogueError as exc:
            failed.append(str(exc))
    for message in failed:
        print(f"compile_translations: {message}", file=sys.stderr)
    if failed:
        return 1
    print(f"compile_translations: compiled {len(catalogues)} catalogue(s) under {locale_dir}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
