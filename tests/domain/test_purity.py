"""domain/ stays pure: no clock, randomness, I/O or framework imports (STYLE 3; DESIGN §4)."""

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
ALLOWED_THIRD_PARTY = {"pydantic", "yaml"}
FORBIDDEN_MODULES = {"random", "secrets", "zoneinfo", "time", "os", "socket", "subprocess", "uuid"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "open", "fromtimestamp"}


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda path: path.name)
def test_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots = {(node.module or "").split(".")[0]}
        else:
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}"
            continue
        assert not roots & FORBIDDEN_MODULES, f"{path.name}:{node.lineno} imports {roots}"
        third_party = roots - {"domain", "__future__"} - set(sys.stdlib_module_names)
        assert third_party <= ALLOWED_THIRD_PARTY, f"{path.name} imports {third_party}"


def test_modules_stay_small() -> None:
    for path in DOMAIN.glob("*.py"):
        assert len(path.read_text("utf-8").splitlines()) < 300, path.name
