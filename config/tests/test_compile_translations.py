"""scripts/compile_translations.py: .po to .mo with polib, loud on a broken catalogue."""

import gettext
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "compile_translations.py"
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _catalogue(locale_dir: Path, language: str, body: str) -> Path:
    po = locale_dir / language / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER + body, encoding="utf-8")
    return po


def _compile(locale_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(locale_dir)], capture_output=True, text=True
    )


def test_compiles_every_catalogue_and_leaves_out_fuzzy_entries(tmp_path):
    po = _catalogue(
        tmp_path,
        "fr",
        '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Bonjour %(name)s"\n\n'
        '#, fuzzy\nmsgid "Draft"\nmsgstr "Brouillon"\n',
    )
    done = _compile(tmp_path)
    assert done.returncode == 0, done.stderr
    with po.with_suffix(".mo").open("rb") as mo:
        translations = gettext.GNUTranslations(mo)
    assert translations.gettext("Hello %(name)s") == "Bonjour %(name)s"
    assert translations.gettext("Draft") == "Draft"


def test_a_syntax_error_fails_naming_the_file(tmp_path):
    po = _catalogue(tmp_path, "fr", 'msgid "Hello"\nthis is not a po line\n')
    done = _compile(tmp_path)
    assert done.returncode == 1
    assert str(po) in done.stderr
    assert not po.with_suffix(".mo").exists()


def test_a_translation_with_an_unknown_placeholder_fails(tmp_path):
    _catalogue(
        tmp_path,
        "en",
        '#, python-format\nmsgid "%(email)s is a member"\nmsgstr "%(mail)s is a member"\n',
    )
    done = _compile(tmp_path)
    assert done.returncode == 1
    assert "mail" in done.stderr


def test_no_catalogues_is_not_an_error(tmp_path):
    assert _compile(tmp_path).returncode == 0
