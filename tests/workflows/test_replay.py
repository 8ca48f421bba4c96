"""Saved histories replay against the current workflow code (STYLE.md 11).

A failure here means a change would break cycles or honors already running: guard the
change with `workflow.patched(...)` instead of rewriting the saved history.

The replayer runs the workflows inside the SDK's sandbox (its default), which the worker
does not (`worker.registry.workflow_runner`): a clock, random or I/O call on the saved
paths fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.support.codec import CONVERTER
from worker.registry import WORKFLOWS

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_are_saved_for_both_workflows() -> None:
    names = {path.stem.split("-")[0] for path in HISTORIES}
    assert names == {"cycle", "honor"}


@pytest.mark.parametrize("path", HISTORIES, ids=lambda p: p.stem)
async def test_saved_history_replays_on_current_code(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=CONVERTER)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
