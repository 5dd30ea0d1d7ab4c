"""The code digests that key cached values (generator/cache.py): a cached document is dropped
when any module its readers import changes, however the import is written."""
from __future__ import annotations

import ast
import importlib.metadata
from pathlib import Path

import pytest

from generator import cache

PACKAGE = Path(cache.__file__).resolve().parent
MODULES = sorted("generator." + p.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
                 for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")


def imports_by_ast(module: str) -> set[str]:
    """The generator modules `module` imports, transitively, by Python's own parser."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen or not name.startswith("generator"):
            continue
        parts = name.split(".")[1:]
        file = PACKAGE.joinpath(*parts).with_suffix(".py")
        if not file.is_file():
            file = PACKAGE.joinpath(*parts, "__init__.py")
        if not file.is_file():
            continue
        seen.add(name)
        for node in ast.walk(ast.parse(file.read_bytes())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                todo.append(node.module)
                todo.extend(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                todo.extend(alias.name for alias in node.names)
    return seen


@pytest.mark.parametrize("module", MODULES)
def test_the_import_closure_holds_every_module_the_parser_finds(module):
    found = set(cache._import_closure(module, PACKAGE))
    assert imports_by_ast(module) <= found


def test_the_readers_closure_follows_a_parenthesised_import_over_lines(tmp_path):
    package = tmp_path / "generator"
    package.mkdir()
    (package / "a.py").write_text("from generator import (\n    b,\n    c as see,  # why\n)\n", encoding="utf-8")
    (package / "b.py").write_text("def f():\n    import generator.d\n", encoding="utf-8")
    for name in ("c", "d", "e"):
        (package / f"{name}.py").write_text("X = 1\n", encoding="utf-8")
    assert set(cache._import_closure("generator.a", package)) == {"generator.a", "generator.b", "generator.c",
                                                                  "generator.d"}


def test_library_versions_match_the_installed_distributions():
    for name in ("jinja2", "markdown", "pagefind", "nh3"):
        assert cache.library_version(name) == importlib.metadata.version(name)
    assert cache.library_version("no-such-distribution") == "-"
