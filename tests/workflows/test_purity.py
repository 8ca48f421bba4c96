"""The workflow modules passed through the sandbox are pure (`worker.registry.PASSTHROUGH`).

The sandbox does not watch them, so this does: no clock, randomness or I/O, and no Temporal
(the decisions know nothing of the engine that carries them; STYLE.md 21).
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from tests.domain.test_purity import FORBIDDEN_CALLS, FORBIDDEN_MODULES
from worker.registry import PURE_WORKFLOW_MODULES


def _path(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    assert spec is not None
    assert spec.origin is not None
    return Path(spec.origin)


@pytest.mark.parametrize("module", PURE_WORKFLOW_MODULES)
def test_passed_through_workflow_module_is_pure(module: str) -> None:
    path = _path(module)
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
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
        assert not roots & (FORBIDDEN_MODULES | {"temporalio"}), f"{path.name}: {roots}"
        assert roots <= {
            "__future__",
            "dataclasses",
            "datetime",
            "domain",
            "contracts",
            "workflows",
        }
