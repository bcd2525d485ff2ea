"""The package layout: imports run one way, with no circles, and the core never loads the UI.

Each package's docstring says what it may import; this test holds the code to it,
reading every ``import`` of the package (those inside functions too) from the
source, so a lazy import cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "reader"

#: What each package may import, besides itself. The order follows the data:
#: support → corpus → entities → index → search (and agreements) → highlights → export
#: → app → bench; importing (articles from outside) needs only support and corpus
#: (measuring tools) → cli (``reader bench`` is a command).
ALLOWED: dict[str, set[str]] = {
    "support": set(),
    "corpus": {"support"},
    "entities": {"support", "corpus"},
    "highlights": {"support"},
    "importing": {"support", "corpus"},
    "index": {"support", "corpus", "entities"},
    "search": {"support", "corpus", "entities", "index"},
    "agreements": {"support", "corpus", "entities", "index"},
    "export": {"support", "corpus", "entities", "index", "search", "highlights"},
    "app": {
        "support",
        "corpus",
        "entities",
        "index",
        "search",
        "agreements",
        "highlights",
        "export",
        "importing",
    },
    "bench": {
        "support",
        "corpus",
        "entities",
        "index",
        "search",
        "agreements",
        "highlights",
        "export",
        "importing",
        "app",
    },
    "cli": {
        "support",
        "corpus",
        "entities",
        "index",
        "search",
        "agreements",
        "highlights",
        "export",
        "importing",
        "app",
        "bench",
    },
}
CORE = [
    "support",
    "corpus",
    "entities",
    "index",
    "search",
    "agreements",
    "highlights",
    "export",
    "importing",
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The reader modules ``path`` imports (a name imported from a package counts
    as that module when it is one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            names = [n if n in known else node.module for n in names]
        else:
            continue
        for name in names:
            if name.startswith("reader."):
                while name not in known and "." in name:
                    name = name.rsplit(".", 1)[0]
                found.add(name)
    return found


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def test_every_package_is_placed_and_opens_with_a_docstring():
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        assert folder.name in ALLOWED, f"reader/{folder.name} has no place in the layout"
        assert ast.get_docstring(ast.parse((folder / "__init__.py").read_text())), folder.name
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"], loose


def test_imports_run_one_way():
    known = set(modules())
    wrong = []
    for name, path in modules().items():
        source = package_of(name)
        if source is None:
            continue
        for target in imports_of(path, known):
            other = package_of(target)
            if other and other != source and other not in ALLOWED[source]:
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_circles():
    known = set(modules())
    graph = {name: imports_of(path, known) - {name} for name, path in modules().items()}
    # A package's __init__ is imported with any of its modules: not an edge back.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    circles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                circles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not circles, "\n".join(circles)


@pytest.mark.parametrize("package", CORE)
def test_the_core_never_imports_the_ui(package):
    names = sorted(n for n in modules() if package_of(n) == package)
    code = (
        "import sys\n"
        "sys.modules['textual'] = None\n"
        "sys.modules['rich'] = None\n"
        "import importlib\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
