"""The worker's registered workflows and activities are pinned: renaming one breaks
every workflow already running, so a change here must be deliberate."""

from __future__ import annotations

from typing import cast

from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio import activity, workflow
from temporalio.client import Client

from worker.registry import WORKFLOWS, activities


def test_registered_workflow_names_are_pinned() -> None:
    names = [workflow._Definition.must_from_class(cls).name for cls in WORKFLOWS]
    assert names == ["award-cycle", "honor", "notice-delivery"]


def test_registered_activity_names_are_pinned() -> None:
    fns = activities(cast(Client, None), async_sessionmaker())
    names = sorted(str(activity._Definition.must_from_callable(fn).name) for fn in fns)
    assert names == [
        "load-cycle-applications",
        "load-eligibility-facts",
        "load-vote-ballots",
        "prepare-digests",
        "project-cycle",
        "project-honor",
        "publish-notices",
        "route-deliveries",
        "send-delivery",
    ]
