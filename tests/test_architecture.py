"""The package layout keeps its promises: the import contracts cover every part of
the core, no module imports itself round a loop, and an import inside a function
says why it is there (start-up time is the only reason)."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kiosk"
# Parts of kiosk/ that are not core: the Qt side, and the command line that starts it.
NOT_CORE = {"kiosk.ui", "kiosk.cli", "kiosk.__main__"}


@dataclass(frozen=True)
class Import:
    """One import statement of a module of the kiosk."""

    module: str  # the importing module
    target: str  # the imported module (the longest name that is a kiosk module)
    line: int
    in_function: bool
    reason: str  # the comment on the line, or on the line above, for an import in a function


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def kiosk_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(node: ast.Import | ast.ImportFrom, module: str, known: set[str]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".")
            if not (PACKAGE / Path(*package[1:]) / "__init__.py").exists() or module == "kiosk":
                package = package[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base]) if base else ".".join(package)
        # "from kiosk.ui import strings" imports a module; "from kiosk.x import name" a name.
        names = [f"{base}.{alias.name}" for alias in node.names] + [base]
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name.startswith("kiosk"):
            yield name


def imports_of(module: str, path: Path, known: set[str]) -> Iterator[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)

    def comment(line: int) -> str:
        """The comment on the import's line, or above its block of imports."""
        here = lines[line - 1]
        if "#" in here:
            return here.split("#", 1)[1].strip()
        above = line - 2
        while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
            above -= 1
        text = lines[above].strip() if above >= 0 else ""
        return text.lstrip("# ").strip() if text.startswith("#") else ""

    def walk(node: ast.AST, in_function: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # for the type checker only: never imported at run time
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in set(_targets(child, module, known)):
                    if target != module:
                        reason = comment(child.lineno) if in_function else ""
                        yield Import(module, target, child.lineno, in_function, reason)
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inner)

    yield from walk(tree, False)


def all_imports() -> list[Import]:
    modules = kiosk_modules()
    known = set(modules)
    return [found for name, path in modules.items() for found in imports_of(name, path, known)]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A loop of modules importing each other, or None (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _graph(imports: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for found in imports:
        # A package's __init__ importing its own modules, and a module importing
        # its package (which runs that __init__), is how Python packages work.
        if found.module.startswith(found.target + ".") or found.target.startswith(
            found.module + "."
        ):
            continue
        graph.setdefault(found.module, set()).add(found.target)
    return graph


def test_no_module_imports_itself_round_a_loop() -> None:
    """Counting imports inside functions too: a cycle hidden in a function is still a cycle."""
    assert find_cycle(_graph(all_imports())) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above could fail: a loop through three modules is found."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_an_import_inside_a_function_says_why() -> None:
    """The only reason to import in a function is start-up time, and the line says so."""
    silent = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in all_imports()
        if found.in_function and not found.reason
    ]
    assert silent == []


def test_the_import_contracts_name_every_part_of_the_core() -> None:
    """A new top-level module or package is either in the Qt-free contract or is the UI."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    core = next(c for c in contracts if c["name"] == "The core does not import Qt")
    assert "PySide6" in core["forbidden_modules"]
    assert "kiosk.ui" in core["forbidden_modules"]
    top_level = {
        module_name(path)
        for path in [*PACKAGE.glob("*.py"), *PACKAGE.glob("*/__init__.py")]
        if path.name != "__init__.py" or path.parent != PACKAGE
    }
    # kiosk.resources is the shipped folder (no code), installed under that name.
    assert top_level - NOT_CORE == set(core["source_modules"])


def test_setuptools_ships_every_package() -> None:
    """Each folder of code is listed in pyproject.toml, or an install would lack it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {module_name(path) for path in PACKAGE.rglob("__init__.py")}
    assert packages <= listed


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    import kiosk.paths\n", [("kiosk.paths", True, "")]),
        (
            "def f():\n    import kiosk.paths  # start-up time\n",
            [("kiosk.paths", True, "start-up time")],
        ),
        ("def f():\n    # start-up\n    import kiosk.paths\n", [("kiosk.paths", True, "start-up")]),
        (
            "def f():\n    # start-up\n    import os\n    import kiosk.paths\n",
            [("kiosk.paths", True, "start-up")],
        ),
        ("def f():\n    x = 1\n    import kiosk.paths\n", [("kiosk.paths", True, "")]),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import kiosk.paths\n", []),
        ("from kiosk import paths\n", [("kiosk.paths", False, "")]),
    ],
)
def test_imports_are_read_as_written(
    tmp_path: Path, source: str, expected: list[tuple[str, bool, str]]
) -> None:
    """The reader sees function-level imports and their reasons, and skips TYPE_CHECKING."""
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    found = imports_of("kiosk.m", path, {"kiosk", "kiosk.paths", "kiosk.m"})
    assert [(i.target, i.in_function, i.reason) for i in found if i.target != "kiosk"] == expected
