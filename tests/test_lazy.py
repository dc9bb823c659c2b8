"""The lazy packages (PEP 562): the names mypy sees, the names that load and ``__all__`` agree."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import creatorlens

LAZY = ["creatorlens.metrics", "creatorlens.planner", "creatorlens.content"]


def static_exports(package: str) -> dict[str, set[str]]:
    """module -> names re-exported (``X as X``) in the package's ``if TYPE_CHECKING:`` block."""
    path = Path(creatorlens.__file__).parent.joinpath(*package.split(".")[1:], "__init__.py")
    tree = ast.parse(path.read_text("utf-8"))
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING"
    )
    found: dict[str, set[str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module, ast.dump(node)
        for alias in node.names:
            assert alias.asname == alias.name, f"{package}: {alias.name} is not re-exported"
            found.setdefault(node.module, set()).add(alias.name)
    return found


@pytest.mark.parametrize("package", LAZY)
def test_static_names_lazy_names_and_all_agree(package: str) -> None:
    module = importlib.import_module(package)
    home = {m: set(names) for m, names in module._HOME.items()}
    assert static_exports(package) == home
    assert sorted(module.__all__) == sorted(n for names in home.values() for n in names)
    for name in module.__all__:
        value = getattr(module, name)
        assert value is getattr(importlib.import_module(next(m for m, ns in home.items() if name in ns)), name)
