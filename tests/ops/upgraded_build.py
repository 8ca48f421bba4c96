"""A "new worker build" for the upgrade test (``tests/ops/test_upgrade.py``), test-only.

The honor workflow gains a step at its start, a memo naming the build: a change to the
commands of every honor, so honors already running would fail to replay without the
`workflow.patched` guard. `UnguardedHonorWorkflow` makes the same change without it, to
show the guard is what keeps old histories replaying.

`LAUNCH` runs ``qaward up`` with this build in place of the shipped honor workflow.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.honor import HonorInput, HonorState
    from workflows.honor import HonorWorkflow

PATCH = "upgrade-test-build-memo"
BUILD = {"build": "2"}


@workflow.defn(name="honor")
class UpgradedHonorWorkflow(HonorWorkflow):
    @workflow.run
    async def run(self, inp: HonorInput) -> HonorState:
        if workflow.patched(PATCH):
            workflow.upsert_memo(BUILD)
        return await super().run(inp)


@workflow.defn(name="honor")
class UnguardedHonorWorkflow(HonorWorkflow):
    @workflow.run
    async def run(self, inp: HonorInput) -> HonorState:
        workflow.upsert_memo(BUILD)
        return await super().run(inp)


LAUNCH = (
    "import sys\n"
    "import worker.registry as registry\n"
    "from tests.ops.upgraded_build import UpgradedHonorWorkflow\n"
    "from workflows.cycle import AwardCycleWorkflow\n"
    "registry.WORKFLOWS = (AwardCycleWorkflow, UpgradedHonorWorkflow)\n"
    "from qaward.cli import main\n"
    "sys.exit(main(['up']))\n"
)
