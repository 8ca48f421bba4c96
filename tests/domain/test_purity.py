"""domain/ stays pure: no clock, randomness, I/O or framework imports (STYLE 3; DESIGN §4)."""

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
ALLOWED_THIRD_PARTY = {"pydantic", "yaml"}
FORBIDDEN_MODULES = {"random", "secrets", "zoneinfo", "time", "os", "socket", "subprocess", "uuid"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "open", "fromtimestamp"}


def import_roots(path: Path) -> list[tuple[int, set[str]]]:
    """Each import's top-level packages, by line; fails on a forbidden call on the way."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.append((node.lineno, {alias.name.split(".")[0] for alias in node.names}))
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, {(node.module or "").split(".")[0]}))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}"
    return found


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda path: path.name)
def test_module_is_pure(path: Path) -> None:
    for line, roots in import_roots(path):
        assert not roots & FORBIDDEN_MODULES, f"{path.name}:{line} imports {roots}"
        third_party = roots - {"domain", "__future__"} - set(sys.stdlib_module_names)
        assert third_party <= ALLOWED_THIRD_PARTY, f"{path.name} imports {third_party}"


def test_modules_stay_small() -> None:
    for path in DOMAIN.glob("*.py"):
        assert len(path.read_text("utf-8").splitlines()) < 300, path.name
