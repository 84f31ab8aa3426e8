#!/usr/bin/env python3
"""Copy the front-end files the dashboard needs from node_modules/ into static/vendor/.

Run after `npm ci`. Standard library only, so that it works before the Python environment is
installed. static/vendor/ is generated (git-ignored): never edit files there by hand.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

# (source under node_modules, destination under static/vendor)
FILES = [
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    ("bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/bootstrap.min.css.map"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"),
    ("bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    # Chart.js's UMD build (with its one dependency, @kurkle/color, bundled): the analytics
    # pages' trend charts.
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    ("chart.js/dist/chart.umd.min.js.map", "chartjs/chart.umd.min.js.map"),
]
# Whole folders: the icon font files, which bootstrap-icons.min.css loads from ./fonts/.
FOLDERS = [("bootstrap-icons/font/fonts", "bootstrap-icons/fonts")]


def main() -> int:
    if not NODE_MODULES.is_dir():
        print(
            f"error: {NODE_MODULES} does not exist. Run `npm ci` in {ROOT} first "
            "(it installs the versions pinned in package-lock.json).",
            file=sys.stderr,
        )
        return 1
    missing = [src for src, _ in FILES + FOLDERS if not (NODE_MODULES / src).exists()]
    if missing:
        print(
            "error: these files are missing from node_modules (run `npm ci` again): "
            + ", ".join(missing),
            file=sys.stderr,
        )
        return 1
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for src, dest in FILES:
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(NODE_MODULES / src, target)
    for src, dest in FOLDERS:
        shutil.copytree(NODE_MODULES / src, VENDOR / dest)
    count = sum(1 for path in VENDOR.rglob("*") if path.is_file())
    print(f"copied {count} files into {VENDOR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
