"""The command line is the top layer: no module of the library imports `cli` (the service uses the shared
`report.formats`, `gating` and `when`, as the CLI does)."""
import ast
from pathlib import Path

import hongfeng_rules

SRC = Path(hongfeng_rules.__file__).parent


def _imports_cli(tree: ast.AST, package: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "hongfeng_rules.cli" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            if base == "hongfeng_rules.cli" or (base == "hongfeng_rules" and any(a.name == "cli" for a in node.names)):
                return True
    return False


def test_no_library_module_imports_the_cli():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "cli.py" and path.parent == SRC:
            continue
        package = ".".join(("hongfeng_rules", *path.relative_to(SRC).parent.parts))
        if _imports_cli(ast.parse(path.read_text(encoding="utf-8")), package):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_the_check_finds_a_relative_import_of_the_cli():
    assert _imports_cli(ast.parse("from .. import cli"), "hongfeng_rules.service")
    assert _imports_cli(ast.parse("from ..cli import gate"), "hongfeng_rules.service")
    assert _imports_cli(ast.parse("from .cli import main"), "hongfeng_rules")
    assert not _imports_cli(ast.parse("from ..gating import gate"), "hongfeng_rules.service")


TESTS = Path(__file__).parent
# tests/'s own importable names: its modules and packages (the oracle among them), whatever they are called
TEST_MODULES = {"tests"} | {p.stem for p in TESTS.glob("*.py")} | {p.name for p in TESTS.iterdir()
                                                                   if (p / "__init__.py").is_file()}


def _imported_tops(tree: ast.AST) -> set[str]:
    """The top-level names of the absolute imports of a module."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_the_package_never_imports_the_tests_oracle():
    """The per-object evaluation and loading live under tests/oracle/ (issue 18): no module of the package
    reaches it, nor any other module of tests/."""
    offenders = sorted(str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                       if _imported_tops(ast.parse(path.read_text(encoding="utf-8"))) & TEST_MODULES)
    assert offenders == []
    assert not (SRC / "object_engine.py").exists() and not (SRC / "checks" / "probe.py").exists()
    assert not (TESTS / "object_loading.py").exists() and not (TESTS / "object_integrity.py").exists()
    assert {"engine", "kinds", "probe", "loading", "integrity"} <= {p.stem for p in (TESTS / "oracle").glob("*.py")}
    assert _imported_tops(ast.parse("from oracle.engine import audit")) & TEST_MODULES  # the check can fail
    assert _imported_tops(ast.parse("from oracle.loading import load_dataset")) & TEST_MODULES
    assert _imported_tops(ast.parse("import differential_loading")) & TEST_MODULES
