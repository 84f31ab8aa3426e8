"""The layer contract covers every app, and `make test` runs it and the type check.

`make layers` (import-linter) checks only the packages pyproject.toml names: an app missing
from its root packages would import anything unseen. So every directory with an apps.py must
be a root package, sit in a layer, be a source of the "no tests" contract and be forbidden to
networks/. (import-linter refuses a root package that does not exist, so a new app is added
in the change that creates it; its layer may be written in advance, in parentheses.)
"""

import re
import tomllib
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PYPROJECT = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())
IMPORTLINTER = PYPROJECT["tool"]["importlinter"]
CONTRACTS = {contract["name"]: contract for contract in IMPORTLINTER["contracts"]}
LAYERS = CONTRACTS["Apps stand on the layers below them"]
NO_TESTS = CONTRACTS["Product code imports no tests"]
NETWORKS = CONTRACTS["networks imports no app of ours and no Django"]


def _apps() -> set[str]:
    return {path.parent.name for path in BASE_DIR.glob("*/apps.py")} - {"config"}


def _layer_names() -> set[str]:
    names = set()
    for layer in LAYERS["layers"]:
        for name in re.split(r"[|:]", layer):
            names.add(name.strip().strip("()"))
    return names


def test_every_app_is_a_root_package_and_networks_too():
    assert set(IMPORTLINTER["root_packages"]) == _apps() | {"networks"}


def test_every_app_has_a_layer():
    assert _apps() <= _layer_names()
    assert "networks" not in _layer_names()  # below every app, checked by its own contract


def test_the_apps_to_come_have_their_place():
    assert {"engagement", "analytics"} <= _layer_names()


def test_product_code_of_every_package_is_kept_from_importing_tests():
    assert set(NO_TESTS["source_modules"]) == set(IMPORTLINTER["root_packages"])
    assert NO_TESTS["forbidden_modules"] == ["*.tests"]


def test_networks_may_import_none_of_our_apps():
    assert _apps() <= set(NETWORKS["forbidden_modules"])
    assert {"django", "rest_framework", "celery"} <= set(NETWORKS["forbidden_modules"])


def test_make_test_runs_the_layers_and_the_type_check_before_pytest():
    makefile = (BASE_DIR / "Makefile").read_text()
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has no test target"
    steps = re.search(r"\$\(MAKE\)[^\n]*", recipe.group(1)).group(0).split()
    assert steps.index("lint") < steps.index("layers") < steps.index("pytest")
    assert steps.index("typecheck") < steps.index("pytest")
