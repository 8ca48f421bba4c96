"""Rehearsals (`services.rehearsals`): the form's rule values checked field by field, the
queue's bound, and a real rehearsal on servers and databases of its own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from domain.errors import DomainError, ErrorCode
from qaward.settings import get_settings
from services.rehearsals import (
    OverridesInvalid,
    Rehearsals,
    application_rows,
    current_values,
    named,
    parse_overrides,
    scenario_from_upload,
    winner_rows,
)
from sim.output import Outcome
from sim.scenario import Scenario, parse_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "sim" / "scenarios"
QUOTA = (SCENARIOS / "committee-quota.yaml").read_text(encoding="utf-8")


def test_the_form_shows_the_rules_in_force() -> None:
    weights = {"document": "1/3", "site": "2/3"}
    values = current_values({"quality": {"quota": 5}, "scoring": {"weights": weights}})
    assert values["quality.quota"] == "5"
    assert values["innovation.quota"] == "3"
    assert values["scoring.weights.document"] == "1/3"
    assert values["publicity.days"] == "7"
    assert values["innovation.validity_years"] == ""  # no expiry
    assert current_values({})["scoring.weights.site"] == "0.6"


def test_only_changed_values_become_overrides() -> None:
    typed = current_values({})
    assert parse_overrides({}, typed) == {}
    typed["quality.quota"] = "2"
    typed["scoring.weights.document"] = "0.5"
    typed["scoring.weights.site"] = "1/2"
    typed["quality.validity_years"] = ""
    typed["committee.min_total"] = "650"
    assert parse_overrides({}, typed) == {
        "quality": {"quota": 2, "validity_years": None},
        "scoring": {"weights": {"document": "1/2", "site": "1/2"}},
        "committee": {"min_total": 650.0},
    }
    # Fields not posted keep their value; the scenario's own overrides are the base.
    assert parse_overrides({"quality": {"quota": 2}}, {"quality.quota": "2"}) == {}


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("quality.quota", "两个", "应为整数"),
        ("quality.quota", "0", "不能小于 1"),
        ("publicity.days", "", "请填写"),
        ("scoring.weights.document", "abc", "应为分数"),
        ("committee.pass_ratio", "1.5", "应在 0 到 1 之间"),
        ("committee.min_total", "1200", "应在 0 到 1000 之间"),
        ("scoring.weights.document", "0.5", "合计为 1"),  # site stays 0.6: 1.1 in all
        ("committee.pass_ratio", "1", "通过比例"),  # the rules' own check: < 1
    ],
)
def test_a_wrong_value_is_refused_next_to_its_field(name: str, typed: str, message: str) -> None:
    values = current_values({})
    values[name] = typed
    with pytest.raises(OverridesInvalid) as refused:
        parse_overrides({}, values)
    assert refused.value.code == ErrorCode.INVALID_RULES
    assert list(refused.value.errors) == [name]
    assert message in refused.value.errors[name]


def test_every_wrong_field_is_named_at_once() -> None:
    values = current_values({}) | {"quality.quota": "x", "publicity.days": "-1"}
    with pytest.raises(OverridesInvalid) as refused:
        parse_overrides({}, values)
    assert set(refused.value.errors) == {"quality.quota", "publicity.days"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", "YAML 格式错误"),
        ("- 1\n- 2\n", "应为键值映射"),
        ("rules: {quality: {quota: 0}}\ntimeline: []\n", "rules"),
        ("timeline: []\n", "没有 timeline"),
        ("timeline:\n  - {do: apply, organization: X, award: quality, at: 2025-03-01}\n", "X"),
    ],
)
def test_an_uploaded_scenario_is_checked(text: str, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        scenario_from_upload(text)
    assert refused.value.code == ErrorCode.INVALID_INPUT
    assert message in refused.value.message


class _Held:
    """A runner that holds each run until released: the queue's order is what is tested
    here (the real runner is used below)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started = 0

    async def __call__(self, scenario: Scenario, **_: Any) -> Outcome:
        self.started += 1
        await self.release.wait()
        start = scenario.actions[0].at
        assert start is not None
        return Outcome(now=start)


async def test_one_runs_one_waits_and_a_third_is_refused() -> None:
    held = _Held()
    registry = Rehearsals(max_running=1, max_waiting=1, runner=held, parallel=False)
    scenario = parse_scenario(QUOTA)
    first = registry.start("甲", scenario, {}, "office")
    second = registry.start("乙", scenario, {"quality": {"quota": 2}}, "office")
    with pytest.raises(DomainError) as refused:
        registry.start("丙", scenario, {}, "office")
    assert refused.value.code == ErrorCode.RATE_LIMITED
    assert "排队" in refused.value.message
    await asyncio.sleep(0.05)
    assert (first.state, second.state) == ("running_base", "queued")
    assert held.started == 1
    held.release.set()
    await registry.wait(first.id)
    await registry.wait(second.id)
    assert (first.state, second.state) == ("done", "done")
    assert held.started == 4  # each: its base, then its variant
    assert first.step == first.steps == 2 * len(scenario.actions)
    third = registry.start("丙", scenario, {}, "office")  # room again
    await registry.wait(third.id)
    assert [r.source for r in registry.all()][:1] == ["丙"]


async def test_rules_that_do_not_load_are_refused_before_anything_runs() -> None:
    held = _Held()
    registry = Rehearsals(runner=held)
    with pytest.raises(DomainError) as refused:
        registry.start("甲", parse_scenario(QUOTA), {"quality": {"quota": 0}}, "office")
    assert refused.value.code == ErrorCode.INVALID_RULES
    assert registry.all() == []
    assert held.started == 0


async def test_a_rehearsal_flips_a_winner_on_servers_and_databases_of_its_own() -> None:
    registry = Rehearsals()
    scenario = parse_scenario(QUOTA)
    rehearsal = registry.start("committee-quota", scenario, {"quality": {"quota": 2}}, "office")
    seen: list[tuple[str, int]] = []
    while not rehearsal.finished:
        seen.append((rehearsal.state, rehearsal.step))
        await asyncio.sleep(0.05)
    assert rehearsal.state == "done", rehearsal.error
    states = [s for s, _ in seen]
    assert "running_both" in states  # side by side (`PARALLEL`)
    steps = [n for _, n in seen]
    assert steps == sorted(steps)
    assert 0 < max(steps) <= rehearsal.steps
    shown = {(d.subject, d.what): (d.base, d.variant) for d in rehearsal.rows}
    assert shown[("2025 P3 质量奖", "结果")] == ("获奖", "未通过评委会表决")
    assert shown[("2025 P3 质量奖称号", "称号")] == ("有", "无")
    names = {key: org.name for key, org in rehearsal.scenario.organizations.items()}
    p3, p1 = names["P3"], names["P1"]
    assert named("2025 P3 质量奖称号", names) == f"2025 {p3} 质量奖称号"
    base, variant = rehearsal.base.outcome, rehearsal.variant.outcome
    winners = {r.subject: r for r in winner_rows(base, variant, names)}
    assert winners["2025 质量奖"].changed
    assert p3 in winners["2025 质量奖"].cells[0].base  # names, not the scenario's keys
    apps = {r.subject: r for r in application_rows(base, variant, names)}
    assert apps[f"2025 {p3} 质量奖"].cells[0].changed
    assert not apps[f"2025 {p1} 质量奖"].changed
    for run in (rehearsal.base, rehearsal.variant):
        assert run.timelines
        assert run.timelines[0][0] == "2025年度评审周期"
        assert run.timelines[0][1].startswith("<svg")
    # Never the live database or the live Temporal server / namespace (the settings').
    live = get_settings()
    runs = (rehearsal.base, rehearsal.variant)
    assert all(r.database.startswith("sqlite+aiosqlite:///") for r in runs)
    assert all("qaward-sim-" in r.database for r in runs)
    assert rehearsal.base.database != rehearsal.variant.database
    assert live.effective_database_url not in {r.database for r in runs}
    hosts = {r.temporal.rsplit("/", 1)[0] for r in runs}
    assert len(hosts) == 2
    assert live.temporal_address not in hosts


def test_the_bench_reports_a_rehearsal(capsys: pytest.CaptureFixture[str]) -> None:
    """`qaward bench --rehearsal N` in a process of its own, as `make bench` runs it."""
    from sim.bench import bench_command

    code = bench_command([], http_commands=0, public_seconds=0, rehearsal=3)
    out = capsys.readouterr().out
    assert "### 规则预演 / Rehearsal (base + variant)" in out
    row = next(line for line in out.splitlines() if line.startswith("| 3 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert int(cells[1]) > 0  # steps
    assert 0 < float(cells[2])
    assert 0 < float(cells[3])
    # Side by side: the total is at least the longer run (each figure rounded to 0.1).
    assert float(cells[4]) >= max(float(cells[2]), float(cells[3])) - 0.11
    assert code == (0 if float(cells[4]) < 30 else 1)
