"""domain/ stays pure: no clock, randomness, I/O or framework imports (STYLE 3; DESIGN §4)."""

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
ALLOWED_THIRD_PARTY = {"pydantic", "yaml"}
FORBIDDEN_MODULES = {"random", "secrets", "zoneinfo", "time", "os", "socket", "subprocess", "uuid"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "open", "fromtimestamp"}
SEEDED_RANDOM = {"panel_draw.py"}
"""The panel draw (随机抽取) uses a `random.Random(seed)` of its own: deterministic, pure."""


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
    forbidden = FORBIDDEN_MODULES - ({"random"} if path.name in SEEDED_RANDOM else set())
    for line, roots in import_roots(path):
        assert not roots & forbidden, f"{path.name}:{line} imports {roots}"
        third_party = roots - {"domain", "__future__"} - set(sys.stdlib_module_names)
        assert third_party <= ALLOWED_THIRD_PARTY, f"{path.name} imports {third_party}"


@pytest.mark.parametrize("name", sorted(SEEDED_RANDOM))
def test_seeded_random_only(name: str) -> None:
    """Only `random.Random(seed)` with its seed: no module-level (global) generator."""
    tree = ast.parse((DOMAIN / name).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "random":
            assert node.attr == "Random", f"{name}:{node.lineno} uses random.{node.attr}"
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Random":
            assert node.args, f"{name}:{node.lineno} random.Random() without a seed"


def test_modules_stay_small() -> None:
    for path in DOMAIN.glob("*.py"):
        assert len(path.read_text("utf-8").splitlines()) < 300, path.name
