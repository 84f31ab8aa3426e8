"""The requirements files are lock files: complete, hashed, and in step with what we ask for."""

import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\[\],-]+)==([^\s;#\\]+)")


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", requirement.split("[")[0]).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[_name(match.group(1))] = match.group(2)
    return pins


def _locked_entries(path: Path) -> list[str]:
    """Each entry of a pip-compile output: its lines joined, comments left out."""
    entries, current = [], ""
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip() or line.strip().startswith("# via"):
            continue
        if line.startswith(" ") and current:
            current += " " + line.strip()
        else:
            if current:
                entries.append(current)
            current = line.strip()
    if current:
        entries.append(current)
    return [entry for entry in entries if not entry.startswith("#")]


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_every_locked_package_is_pinned_with_a_hash(lock):
    entries = _locked_entries(BASE_DIR / lock)
    assert entries
    for entry in entries:
        assert PIN.match(entry), f"{lock}: not pinned: {entry[:60]}"
        assert "--hash=sha256:" in entry, f"{lock}: no hash: {entry[:60]}"


@pytest.mark.parametrize(
    ("wanted", "lock"),
    [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")],
)
def test_the_lock_file_holds_what_we_ask_for_at_the_version_we_chose(wanted, lock):
    locked = _pins(BASE_DIR / lock)
    for name, version in _pins(BASE_DIR / wanted).items():
        assert locked.get(name) == version, f"{name}=={version} is not in {lock}: run make lock"


def test_the_runtime_and_development_locks_agree_on_every_shared_package():
    runtime = _pins(BASE_DIR / "requirements.txt")
    development = _pins(BASE_DIR / "requirements-dev.txt")
    assert set(runtime) <= set(development)
    assert {name: development[name] for name in runtime} == runtime


def test_honcho_is_a_development_tool_only():
    assert "honcho" not in _pins(BASE_DIR / "requirements.txt")
    assert "honcho" in _pins(BASE_DIR / "requirements-dev.txt")
