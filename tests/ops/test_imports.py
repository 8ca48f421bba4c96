"""Imports go one way: `qaward up` (`qaward.stack`) runs the worker and the API; neither
imports it back (their shared process plumbing is `qaward.process`)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "db", "domain", "qaward", "services", "worker", "workflows", "activities", "web")


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
    return names


def test_only_the_command_line_imports_the_stack() -> None:
    importers = sorted(
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "qaward.stack" in _imported(path)
    )
    assert importers == ["qaward/cli.py"]


def test_the_process_plumbing_imports_no_product_module() -> None:
    product = tuple(f"{package}." for package in PACKAGES) + PACKAGES
    assert not {name for name in _imported(ROOT / "qaward/process.py") if name.startswith(product)}
