"""Rules about the code itself that a reviewer should not have to check by hand.

* No module a newcomer cannot read in one sitting: 400 lines at most (migrations aside).
* `.unscoped` (the manager that reads every agency's rows) only where the code says it spans
  agencies: in functions whose names end in ``_across_agencies``, in admin modules and in
  management commands. Everywhere else, tenant rows are read through ``objects`` inside a
  tenant scope.
"""

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APPS = [
    "core", "agency", "notifications", "webhooks", "clients", "campaigns", "reputation",
    "publishing", "engagement", "demo", "networks", "config", "bench", "scripts",
]  # fmt: skip
MAX_LINES = 400


def _modules():
    for app in APPS:
        root = BASE_DIR / app
        if not root.exists():
            continue
        for path in sorted(root.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_is_longer_than_a_newcomer_reads_in_one_sitting():
    too_long = {
        str(path.relative_to(BASE_DIR)): lines
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, f"over {MAX_LINES} lines; split by topic into a package: {too_long}"


def _allowed_everywhere(path: Path) -> bool:
    parts = path.relative_to(BASE_DIR).parts
    return (
        path.name == "admin.py"
        or "admin" in parts
        or "management" in parts
        or "tests" in parts
        or parts[0] == "bench"
    )


def _unscoped_outside_cross_agency_functions(source: str, label: str) -> list[str]:
    tree = ast.parse(source, filename=label)
    found = []

    def visit(node, function_names):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function_names = [*function_names, node.name]
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "unscoped"
            and not any(name.endswith("_across_agencies") for name in function_names)
        ):
            where = function_names[-1] if function_names else "<module>"
            found.append(f"{label}:{node.lineno} in {where}")
        for child in ast.iter_child_nodes(node):
            visit(child, function_names)

    visit(tree, [])
    return found


def test_unscoped_is_used_only_where_the_code_says_it_spans_agencies():
    found = [
        use
        for path in _modules()
        if not _allowed_everywhere(path)
        for use in _unscoped_outside_cross_agency_functions(
            path.read_text(), str(path.relative_to(BASE_DIR))
        )
    ]
    assert not found, (
        "`.unscoped` outside a function named *_across_agencies (enter tenant_scope and use "
        "`.objects`, or name the function for what it does):\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    "source",
    [
        "def rows():\n    return Mention.unscoped.all()\n",
        "X = Mention.unscoped\n",
        "def rows_across_agencies():\n    return 1\n\ndef other():\n    return A.unscoped\n",
    ],
)
def test_the_unscoped_rule_catches_a_use_outside_a_cross_agency_function(source):
    assert _unscoped_outside_cross_agency_functions(source, "probe.py")


def test_the_unscoped_rule_accepts_a_cross_agency_function_and_what_it_nests():
    source = (
        "def sources_due_across_agencies():\n"
        "    def pairs():\n"
        "        return [(s.agency_id, s.pk) for s in Source.unscoped.all()]\n"
        "    return pairs()\n"
    )
    assert _unscoped_outside_cross_agency_functions(source, "probe.py") == []
