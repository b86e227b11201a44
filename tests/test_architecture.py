"""The layout's rules, checked on the source (statically, with `ast`): nothing is imported to check.

- `stories/` never imports `coding/` (nor the packages above both: `changestories/`, `cli/`, `ui/`,
  `app_pages/`), also not through `importlib.import_module("coding...")`;
- `coding/` never imports the packages above it;
- no module of `stories/` or `coding/` imports streamlit;
- no import cycle between the modules of the application, lazy imports inside functions included;
- page scripts in `app_pages/` stay under 200 lines and run no SQL.

Each rule is also run on a small generated tree that breaks it, so a rule that stopped
seeing anything would fail here too.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("stories", "coding", "changestories", "cli", "ui", "app_pages")
ABOVE_STORIES = ("coding", "changestories", "cli", "ui", "app_pages")
ABOVE_CODING = ("changestories", "cli", "ui", "app_pages")
IMPORT_CALLS = {"import_module", "__import__"}
MAX_PAGE_LINES = 200
DB_CALLS = {"execute", "executescript", "executemany", "query"}
DB_TABLE_CALLS = {"table", "view", "tables", "views"}  # on a Database (st.table draws a table)
SQL_TEXT = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\b.+\bSET|DELETE\s+FROM)\b", re.S)  # our SQL is upper case
REF = re.compile(r"[a-z_][a-z0-9_.]*(:[A-Za-z_]\w*)?")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str  # a dotted module name (possibly outside the application, e.g. "streamlit")
    line: int


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def find_modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            modules[module_name(path, root)] = path
    if (root / "app.py").exists() and "app_pages" in packages:
        modules["app"] = root / "app.py"
    return modules


def _absolute(module: str | None, level: int, source: str, is_package: bool) -> str:
    if not level:
        return module or ""
    base = source.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Edge]:
    """Every module `name` imports: import statements anywhere in the file, string arguments
    of importlib.import_module / __import__, and any string naming one of our modules as
    "pkg.mod" or "pkg.mod:attr" (a registry of modules to import later is an import too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    edges = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            edges += [Edge(name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node.module, node.level, name, is_package)
            edges.append(Edge(name, target, node.lineno))
            for alias in node.names:
                if f"{target}.{alias.name}" in modules:  # `from pkg import module`
                    edges.append(Edge(name, f"{target}.{alias.name}", node.lineno))
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in IMPORT_CALLS and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                edges.append(Edge(name, node.args[0].value.split(":")[0], node.lineno))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
            target = node.value.split(":")[0]
            if target in modules and REF.fullmatch(node.value):
                edges.append(Edge(name, target, node.lineno))
    return edges


def import_graph(root: Path, packages=PACKAGES) -> tuple[dict[str, Path], list[Edge]]:
    modules = find_modules(root, packages)
    edges = [edge for name, path in modules.items() for edge in imports_of(name, path, modules)]
    return modules, edges


def _top(module: str) -> str:
    return module.split(".")[0]


def forbidden_imports(edges: list[Edge], sources: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{e.source}:{e.line} imports {e.target}" for e in edges
            if _top(e.source) == sources and _top(e.target) in forbidden]


def _internal(target: str, modules: dict[str, Path]) -> str | None:
    """The application module an import resolves to (`from a.b import name` -> a.b)."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def import_cycles(modules: dict[str, Path], edges: list[Edge]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself)."""
    names = sorted(modules)
    index = {name: i for i, name in enumerate(names)}
    pairs = set()
    for edge in edges:
        target = _internal(edge.target, modules)
        if target is not None:
            pairs.add((index[edge.source], index[target]))
    if not pairs:
        return []
    rows, cols = zip(*pairs)
    graph = csr_matrix((np.ones(len(pairs)), (rows, cols)), shape=(len(names), len(names)))
    _, labels = connected_components(graph, directed=True, connection="strong")
    cycles = []
    for label in set(labels):
        members = [names[i] for i in np.flatnonzero(labels == label)]
        if len(members) > 1 or (index[members[0]], index[members[0]]) in pairs:
            cycles.append(members)
    return sorted(cycles)


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT)


def test_the_graph_sees_the_application(graph):
    modules, edges = graph
    assert {"stories.storage", "coding.codings", "cli.main", "ui.page", "app_pages.submit", "app"} <= set(modules)
    assert Edge("stories.storage", "stories.textindex.pipeline", 0).target in {e.target for e in edges
                                                                               if e.source == "stories.storage"}


def test_stories_never_imports_coding_or_anything_above_it(graph):
    assert forbidden_imports(graph[1], "stories", ABOVE_STORIES) == []


def test_coding_never_imports_the_application_above_it(graph):
    assert forbidden_imports(graph[1], "coding", ABOVE_CODING) == []


@pytest.mark.parametrize("package", ["stories", "coding"])
def test_no_streamlit_below_the_pages(graph, package):
    assert forbidden_imports(graph[1], package, ("streamlit",)) == []


def test_no_import_cycles(graph):
    assert import_cycles(*graph) == []


def sql_in(source: str) -> list[str]:
    """SQL a page script would run: database calls (execute, query, table, ...) or SQL text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            name = receiver.id if isinstance(receiver, ast.Name) else getattr(receiver, "attr", "")
            if node.func.attr in DB_CALLS or (node.func.attr in DB_TABLE_CALLS and name.endswith("db")):
                found.append(f"line {node.lineno}: .{node.func.attr}(...)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.search(node.value):
            found.append(f"line {node.lineno}: {node.value[:40]!r}")
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "app_pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_are_thin_and_run_no_sql(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) < MAX_PAGE_LINES, f"{path.name} has {len(source.splitlines())} lines"
    assert sql_in(source) == []


@pytest.mark.parametrize("source", [
    "rows = db.execute('SELECT 1').fetchall()\n",
    "db.conn.executemany(sql, rows)\n",
    "n = db.table('stories').count\n",
    "other_db.view('story_codes')\n",
    "QUERY = 'SELECT seq FROM stories WHERE id = ?'\n",
])
def test_sql_in_a_page_is_caught(source):
    assert sql_in(source)


def test_widgets_are_not_sql():
    assert sql_in("st.table(rows)\ncol.table(rows)\nst.caption('Select a story from the list')\n") == []


# --- the rules on trees that break them ----------------------------------------------------------

def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize("source", [
    "from coding.codings import insert_coding\n",
    "import coding.codings\n",
    "def later():\n    from coding import codings\n",
    "import importlib\nmodule = importlib.import_module('coding.codings')\n",
    "from importlib import import_module\nimport_module('coding.codings')\n",
    "REF = __import__('coding.codings')\n",
    "from ..coding import codings\n",
])
def test_a_stories_module_importing_coding_is_caught(tmp_path, source):
    if source.startswith("from .."):
        source = "from ...coding import codings\n"  # stories/sub/mod.py: three dots reach the root
        root = _tree(tmp_path, {"stories/sub/__init__.py": "", "stories/sub/mod.py": source,
                                "coding/codings.py": ""})
    else:
        root = _tree(tmp_path, {"stories/mod.py": source, "coding/codings.py": ""})
    _, edges = import_graph(root)
    assert forbidden_imports(edges, "stories", ABOVE_STORIES)


@pytest.mark.parametrize("source", ["import streamlit as st\n", "def f():\n    from streamlit import session_state\n"])
def test_streamlit_in_stories_or_coding_is_caught(tmp_path, source):
    root = _tree(tmp_path, {"stories/mod.py": source, "coding/mod.py": source})
    _, edges = import_graph(root)
    assert forbidden_imports(edges, "stories", ("streamlit",)) and forbidden_imports(edges, "coding", ("streamlit",))


@pytest.mark.parametrize("files,cycle", [
    ({"coding/a.py": "from coding.b import x\n", "coding/b.py": "def x():\n    from coding import a\n"},
     ["coding.a", "coding.b"]),
    ({"ui/a.py": "import ui.b\n", "ui/b.py": "import ui.c\n", "ui/c.py": "from ui.a import y\n"},
     ["ui.a", "ui.b", "ui.c"]),
    ({"cli/main.py": "import importlib\nimportlib.import_module('cli.group')\n",
      "cli/group.py": "from cli.main import db_argument\n"}, ["cli.group", "cli.main"]),
    ({"stories/a.py": "from . import b\n", "stories/b.py": "from .a import z\n"}, ["stories.a", "stories.b"]),
    ({"stories/a.py": "LOADERS = ['stories.b:load']\n", "stories/b.py": "import stories.a\n"}, ["stories.a", "stories.b"]),
])
def test_an_import_cycle_is_caught(tmp_path, files, cycle):
    assert import_cycles(*import_graph(_tree(tmp_path, files))) == [cycle]
