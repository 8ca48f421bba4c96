"""A live cycle as a scenario file (issue #18): `qaward simulate` on it gives its outcome.

The commands come from where they were decided, the workflows' histories: every update
the cycle's workflow (through each continue-as-new run) and its honors' workflows accepted
and completed, at its business time (event time + the cycle's clock offset), in order;
refused commands changed nothing and are left out. The office's records come from the
database as they are now: organizations (facts and the records the office entered),
reviewers with their registered ties, and the honors awarded before the cycle (as
historical honors). Organizations are keyed by credit code, reviewers by their code.

What the file cannot carry: a fact edited after the cycle used it is exported as it is
now, and a tie registered during the cycle as if it had been there from the start. The
supervision group's records (irregularities, criticism, panel draws, follow-up texts and
evaluations) live in the database only and decide no outcome: they are not exported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import yaml
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from contracts import commands as c
from contracts.cycle import CycleInput
from contracts.honor import FollowUpCommand, FraudCommand, IncidentCommand
from db.models import Cycle
from db.repositories import honor_reads, organizations, reviewers
from domain.dates import SHANGHAI

Command = Callable[[Any], dict[str, Any]]


def _stage(cmd: Any) -> dict[str, Any]:
    return {"stage": cmd.stage.value, "organization": cmd.credit_code}


CYCLE_COMMANDS: dict[str, tuple[type[BaseModel] | None, Command]] = {
    "apply": (c.ApplyCommand, lambda m: {"do": "apply", "organization": m.credit_code,
                                         "award": m.award.value}),
    "record-finding": (c.FindingCommand, lambda m: {
        "do": "department_finding", "organization": m.credit_code, "passed": m.passed,
        "reason": m.reason, "note": m.note, "department": m.department}),
    "close-qualification": (None, lambda _: {"do": "close_qualification"}),
    "assign-panel": (c.AssignPanelCommand, lambda m: {
        "do": "assign_panel", **_stage(m), "reviewers": [r.code for r in m.reviewers],
        "leader": m.leader}),
    "disqualify-reviewer": (c.DisqualifyCommand, lambda m: {
        "do": "disqualify_reviewer", "reviewer": m.reviewer, "reason": m.reason,
        "on": m.on.isoformat()}),
    "declare-conflict": (c.ConflictCommand, lambda m: {
        "do": "declare_conflict", "reviewer": m.reviewer, "organization": m.credit_code}),
    "score": (c.ScoreCommand, lambda m: {
        "do": "score", **_stage(m), "reviewer": m.reviewer,
        **({"items": m.items} if m.items is not None else {"points": m.points})}),
    "record-consensus": (c.ConsensusCommand, lambda m: {
        "do": "consensus", **_stage(m), "points": m.points, "reviewer": m.reviewer}),
    "close-stage": (c.CloseStageCommand, lambda m: {
        "do": "close_stage", "stage": m.stage.value, "reason": m.reason}),
    "extend-deadline": (c.ExtendDeadlineCommand, lambda m: {
        "do": "extend_deadline", "what": m.what, "until": m.until.isoformat(),
        "reason": m.reason}),
    "shortlist": (c.ShortlistCommand, lambda m: {"do": "shortlist", "auto": True} if m.auto
                  else {"do": "shortlist", "organizations": list(m.credit_codes or [])}),
    "confirm-site-report": (c.ConfirmSiteReportCommand, lambda m: {
        "do": "confirm_site_report", "organization": m.credit_code}),
    "withdraw": (c.WithdrawCommand, lambda m: {"do": "withdraw", "organization": m.credit_code}),
    "record-vote": (c.VoteCommand, lambda m: {
        "do": "vote" if m.replaces_reason is None else "replace_vote", "award": m.award.value,
        "present": m.present, "ballots": {k: b.model_dump() for k, b in m.ballots.items()},
        **({} if m.replaces_reason is None else {"reason": m.replaces_reason})}),
    "object": (c.ObjectionCommand, lambda m: {
        "do": "object", "organization": m.credit_code, "name": m.name, "contact": m.contact,
        "content": m.content}),
    "investigate": (c.InvestigateCommand, lambda m: {
        "do": "investigate", "objection": m.number, "finding": m.finding, "report": m.report}),
    "committee-decision": (c.CommitteeDecisionCommand, lambda m: {
        "do": "committee_decision", "organization": m.credit_code, "remove": m.remove}),
    "approve": (c.ApproveCommand, lambda m: {"do": "approve", "strike": list(m.strike)}),
    "cancel": (c.CancelCommand, lambda m: {"do": "cancel_cycle", "reason": m.reason}),
}  # fmt: skip
HONOR_COMMANDS: dict[str, tuple[type[BaseModel] | None, Command]] = {
    "report-incident": (IncidentCommand, lambda m: {
        "do": "report_incident", "occurred_on": m.occurred_on.isoformat(), "kind": m.kind,
        "major_adverse_impact": m.major_adverse_impact, "note": m.note}),
    "report-fraud": (FraudCommand, lambda m: {"do": "report_fraud", "note": m.note}),
    "approve-revocation": (None, lambda _: {"do": "approve_revocation"}),
    "submit-follow-up": (FollowUpCommand, lambda m: {"do": "submit_follow_up", "number": m.number}),
}  # fmt: skip


async def _runs(client: Client, workflow_id: str) -> list[list[HistoryEvent]]:
    """Every run's events, first run first (each run names the one it continued)."""
    runs: list[list[HistoryEvent]] = []
    run_id: str | None = None
    while True:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        events = list(history.events)
        runs.insert(0, events)
        previous = events[0].workflow_execution_started_event_attributes
        if not previous.continued_execution_run_id:
            return runs
        run_id = previous.continued_execution_run_id


async def _accepted(
    client: Client,
    events: Sequence[HistoryEvent],
    known: dict[str, tuple[type[BaseModel] | None, Command]],
    offset: timedelta,
) -> list[tuple[datetime, dict[str, Any]]]:
    """The updates of one run that completed without refusal, as scenario actions."""
    done = {
        e.workflow_execution_update_completed_event_attributes.meta.update_id
        for e in events
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED
        and not e.workflow_execution_update_completed_event_attributes.outcome.HasField("failure")
    }
    found = []
    for event in events:
        if event.event_type != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            continue
        request = event.workflow_execution_update_accepted_event_attributes.accepted_request
        if request.meta.update_id not in done or request.input.name not in known:
            continue
        model, action = known[request.input.name]
        payloads = list(request.input.args.payloads)
        command = (await client.data_converter.decode(payloads, [model]))[0] if model else None
        found.append((event.event_time.ToDatetime(tzinfo=UTC) + offset, action(command)))
    return found


def _when(at: datetime) -> str:
    return at.astimezone(SHANGHAI).isoformat(timespec="milliseconds")


async def _records(session: AsyncSession, cycle: Cycle) -> dict[str, Any]:
    orgs = await session.run_sync(organizations.all_organizations)
    exported: dict[str, Any] = {}
    for org in orgs:
        records = await session.run_sync(organizations.records_of, org.id)
        exported[org.credit_code] = {
            "name": org.name,
            "credit_code": org.credit_code,
            "county": org.county,
            "registered_on": org.registered_on.isoformat(),
            "industry": org.industry,
            "industrial": org.industrial,
            "excellence_since": org.excellence_since.isoformat() if org.excellence_since else None,
            "mu_efficiency": {int(y): g for y, g in (org.mu_efficiency or {}).items()},
            "record": [
                {"on": r.on.isoformat(), "kind": r.kind, "note": r.note}
                for r in records
                if r.source_key is None  # a fraud revocation's own entry is the run's doing
            ],
        }
    pool: dict[str, Any] = {}
    for reviewer in await session.run_sync(reviewers.all_reviewers):
        ties = await session.run_sync(reviewers.ties_of, reviewer.id)
        pool[reviewer.code] = {
            "name": reviewer.name,
            "industries": list(reviewer.industries),
            "employer": reviewer.employer_credit_code,
            # A declared tie (回避) is the run's doing: its declare_conflict action is exported.
            "ties": [code for code, _, source in ties if source != "declared"],
        }
    earlier = [
        {"organization": org.credit_code, "award": h.award, "year": h.year,
         "awarded_on": h.awarded_on.isoformat()}
        for h, org in await session.run_sync(honor_reads.register)
        if h.awarded_on < cycle.opened_at.astimezone(SHANGHAI).date()
    ]  # fmt: skip
    return {"organizations": exported, "reviewers": pool, "honors": earlier}


async def export_cycle(client: Client, session: AsyncSession, cycle: Cycle, now: datetime) -> str:
    """The scenario YAML of `cycle` as of `now` (its business time: the file ends there)."""
    runs = await _runs(client, cycle.workflow_id)
    first = runs[0][0]
    start_payloads = list(first.workflow_execution_started_event_attributes.input.payloads)
    inp: CycleInput = (await client.data_converter.decode(start_payloads, [CycleInput]))[0]
    offset = timedelta(seconds=inp.clock_offset_seconds)
    timeline: list[tuple[datetime, dict[str, Any]]] = [
        (
            first.event_time.ToDatetime(tzinfo=UTC) + offset,
            {"do": "open_cycle", "year": inp.year,
             "application_deadline": inp.application_deadline.isoformat(),
             "committee_members": inp.committee_members},
        )
    ]  # fmt: skip
    for events in runs:
        timeline += await _accepted(client, events, CYCLE_COMMANDS, offset)
    opened = cycle.opened_at.astimezone(SHANGHAI).date()
    for honor, org in await session.run_sync(honor_reads.register):
        # This cycle's honors, and the earlier ones the file lists (a revocation counts).
        if not honor.workflow_id or (honor.year != inp.year and honor.awarded_on >= opened):
            continue
        for events in await _runs(client, honor.workflow_id):
            for at, action in await _accepted(client, events, HONOR_COMMANDS, offset):
                extra = {"organization": org.credit_code, "award": honor.award, "year": honor.year}
                timeline.append((at, action | extra))
    timeline.sort(key=lambda pair: pair[0])  # stable: same-instant commands keep their order
    actions = [{"at": _when(at), **action, **({"year": inp.year} if "year" not in action else {})}
               for at, action in timeline]  # fmt: skip
    actions.append({"at": _when(max(now, timeline[-1][0])), "do": "snapshot"})
    document = {
        "rules": inp.rules.model_dump(mode="json"),
        "committee": {"members": inp.committee_members},
        **await _records(session, cycle),
        "timeline": actions,
    }
    header = f"# {inp.year}年度评审周期，导出于 {_when(now)}（qaward simulate 可重放）\n"
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
