"""The workflow modules passed through the sandbox are pure (`worker.registry.PASSTHROUGH`).

The sandbox does not watch them, so this does: no clock, randomness or I/O, and no Temporal
(the decisions know nothing of the engine that carries them; STYLE.md 21).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.domain.test_purity import FORBIDDEN_MODULES, import_roots
from worker.registry import PURE_WORKFLOW_MODULES


def _path(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    assert spec is not None
    assert spec.origin is not None
    return Path(spec.origin)


@pytest.mark.parametrize("module", PURE_WORKFLOW_MODULES)
def test_passed_through_workflow_module_is_pure(module: str) -> None:
    path = _path(module)
    allowed = {"__future__", "collections", "dataclasses", "datetime", "domain", "contracts"}
    allowed |= {"workflows"}
    for line, roots in import_roots(path):
        assert not roots & (FORBIDDEN_MODULES | {"temporalio"}), f"{path.name}:{line}: {roots}"
        assert roots <= allowed, f"{path.name}:{line}: {roots}"
