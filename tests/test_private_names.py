"""Modules reach each other through public names: a module that imports another's `_private` helper, or reads
one as `module._name`, depends on what that module may change without notice (review: whatif read
`rulebook.pack._parse`, columns.coverage the private helpers of columns.where and its kinds)."""
import ast
from pathlib import Path

import pytest

import hongfeng_rules

SRC = Path(hongfeng_rules.__file__).parent
CHECKED = ["whatif.py", "columns/coverage.py"]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_reaches(source: str) -> list[str]:
    """The other modules' private names a module imports or reads through an imported module."""
    tree, modules, out = ast.parse(source), set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            where = "." * node.level + (node.module or "")
            out += [f"{where}.{a.name}" for a in node.names if _private(a.name)]
            modules |= {a.asname or a.name for a in node.names}  # a module imported by name (`from . import where`)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name) \
                and node.value.id in modules:
            out.append(f"{node.value.id}.{node.attr}")
    return out


@pytest.mark.parametrize("module", CHECKED)
def test_the_module_reaches_no_private_name_of_another(module):
    assert private_reaches((SRC / module).read_text(encoding="utf-8")) == []


def test_the_check_finds_an_imported_and_an_attribute_private_name():
    assert private_reaches("from .rulebook.pack import CompiledRule, _parse") == [".rulebook.pack._parse"]
    assert private_reaches("from . import where\nx = where._or([])") == ["where._or"]
    assert private_reaches("from .kinds import deadline as d\nd._due(1)") == ["d._due"]
    assert private_reaches("from . import where\nx = where.holds\ny = obj._own\nz = __name__") == []
