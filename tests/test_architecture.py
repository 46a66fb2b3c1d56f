"""The shape of the house: imports point one way, functions stay short, start-up is light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wellbeing_framework"
MAX_LINES = 80


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Modules of the package that a module imports, at any level, TYPE_CHECKING aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            for alias in node.names:  # "from package import module"
                found.add(f"{module}.{alias.name}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports."""
    modules = _modules()
    known = set(modules)
    graph = {name: _imports(path, name, known) for name, path in modules.items()}
    # importing a.b runs a/__init__ first; a package's __init__ re-exporting from its own
    # submodules is the package's face, not a dependency of those submodules
    return {
        name: {m for m in deps if not name.startswith(m + ".")} for name, deps in graph.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = walk(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = walk(node)
            if found:
                return found
    return None


def _function_lengths(path: Path) -> list[tuple[str, int]]:
    """Lines of code of every function, its docstring left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            signature = body[0].lineno - node.lineno  # the def line(s), decorators aside
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                body = body[1:]
            if not body:
                continue
            first = min(getattr(n, "lineno", node.lineno) for n in body)
            last = max(getattr(n, "end_lineno", node.lineno) or node.lineno for n in body)
            out.append((node.name, last - first + 1 + signature))
    return out


class TestImports:
    def test_cycle_finder_finds_a_cycle(self) -> None:
        """The cycle finder itself: a -> b -> c -> a is found."""
        assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
        assert find_cycle({"a": {"b"}, "b": set()}) is None

    def test_no_import_cycle(self) -> None:
        """No cycle among the package's modules, function-level imports included."""
        assert find_cycle(import_graph()) is None

    def test_core_never_imports_the_dask_engine(self) -> None:
        """Only the package face (which registers it) and the commands import the Dask engine."""
        graph = import_graph()
        allowed = {"wellbeing_framework", "wellbeing_framework.commands"}  # face, commands
        users = {m for m, deps in graph.items() if "wellbeing_framework.dask_engine" in deps}
        assert users <= allowed


class TestFunctionLength:
    def test_no_long_functions(self) -> None:
        """No function is longer than 80 lines of code, its docstring aside."""
        long = [
            f"{path.relative_to(PACKAGE)}:{name} ({n} lines)"
            for path in sorted(PACKAGE.rglob("*.py"))
            for name, n in _function_lengths(path)
            if n > MAX_LINES
        ]
        assert long == []


@pytest.mark.parametrize(
    "heavy", ["matplotlib", "scipy", "jsonschema", "openpyxl", "pyarrow", "dask"]
)
def test_import_is_light(heavy: str) -> None:
    """Importing the package imports no heavy library that pandas has not already imported;
    they load when first needed."""
    code = (
        "import sys, pandas; before = set(sys.modules); import wellbeing_framework; "
        f"print(any(m == {heavy!r} or m.startswith({heavy!r} + '.') "
        "for m in set(sys.modules) - before))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_module_map_matches_the_code() -> None:
    """The developer page lists every module of the package, and no other."""
    page = (PACKAGE.parents[1] / "docs" / "developer.md").read_text(encoding="utf-8")
    listed = {
        line.split("`")[1]
        for line in page.splitlines()
        if line.startswith("| `") and line.split("`")[1].endswith(".py")
    }
    actual = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")}
    actual -= {"cohort/__init__.py", "plot/__init__.py"}
    assert listed == actual


def test_help_never_imports_pandas() -> None:
    """`wellbeing --help` parses and answers without importing pandas."""
    code = (
        "import sys\n"
        "from wellbeing_framework.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_accessor_registered_when_pandas_comes_later() -> None:
    """Importing the package before pandas still gives every DataFrame `.wellbeing`."""
    code = (
        "import sys, wellbeing_framework\n"
        "assert 'pandas' not in sys.modules\n"
        "import pandas as pd\n"
        "print(hasattr(pd.DataFrame(), 'wellbeing'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_library_importing_pandas_first() -> None:
    """When the library itself is first to import pandas, every public name still loads
    and the accessor is registered (no half-imported module)."""
    code = (
        "import sys, wellbeing_framework as wf\n"
        "fw = wf.load_framework()\n"
        "missing = [n for n in wf.__all__ if not hasattr(wf, n)]\n"
        "scores = wf.score(wf.make_cohort(5, waves=1, seed=1), fw)\n"
        "print(missing, hasattr(scores, 'wellbeing'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] True"
