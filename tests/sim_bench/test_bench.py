"""`qaward bench` at a tiny size: the generated scenario is valid, the table has its shape."""

from __future__ import annotations

import re

import pytest
import yaml

from domain.credit_code import is_valid_credit_code
from sim.bench import _in_own_process, bench_command
from sim.bench_report import Latency, SizeResult, render
from sim.bench_scenario import scenario_data
from sim.scenario import parse_scenario

pytestmark = pytest.mark.sqlite_only


def test_generated_scenario_parses_and_every_credit_code_is_valid() -> None:
    data = scenario_data(3)
    scenario = parse_scenario(yaml.safe_dump(data, allow_unicode=True))
    assert len(scenario.organizations) == 3
    assert all(is_valid_credit_code(org.credit_code) for org in scenario.organizations.values())
    kinds = [action.do for action in scenario.actions]
    # 3 applications x (apply, 2 panels, 6 scores, confirmation) + open, close, shortlist,
    # one vote per award, approval and the final snapshot
    assert len(kinds) == 3 * 10 + 7
    assert kinds[-1] == "snapshot"
    assert data["rules"] == {"shortlist": {"max_per_award": 3}, "feedback": {"after_cycle": False}}


def _rows(out: str, first: str) -> list[list[str]]:
    """The cells of the table rows whose first cell matches `first`."""
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in out.splitlines()
        if re.match(rf"^\| {first}", line)
    ]


def test_bench_prints_one_row_per_size_and_names_every_missed_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = bench_command([3], http_commands=10, public_seconds=0)
    out = capsys.readouterr().out
    rows = _rows(out, r"\d")
    assert len(rows) == 3  # the main table, the payload's kind and the operation counts
    assert len(rows[0]) == 7
    size, wall, rss, largest, payload, floor, ratio = rows[0]
    assert size == "3"
    assert float(wall) > 0
    assert float(floor) > 0
    assert float(rss) > 0
    assert 0 < int(largest) < 10_240
    # the cycle's input carries the rules and every workflow's is a pydantic model
    assert 100 < int(payload) <= 256 * 1024
    # the ratio is of the unrounded times; the cells are rounded to 0.1 s
    low = (float(wall) - 0.05) / (float(floor) + 0.05)
    high = (float(wall) + 0.05) / (float(floor) - 0.05)
    assert low <= float(ratio) <= high
    kind = rows[1]
    assert kind[0] == "3"
    assert kind[1].split()[0] in {"workflow", "activity", "update", "continue-as-new", "marker"}
    assert kind[2]  # the workflow whose history held it
    counts = rows[2]
    assert counts[0] == "3"
    assert int(counts[3]) >= 3 * 10  # at least one update per action
    http, raw = _rows(out, "HTTP")[0], _rows(out, "原始更新")[0]
    assert "findings" in http[0]
    assert 0 < float(http[1]) <= float(http[2])
    assert 0 < float(raw[1]) <= float(raw[2])
    noop = _rows(out, "空更新")[0]
    assert 0 < float(noop[1]) <= float(noop[2])
    assert "p50 比值 / ratio" in out
    missed = "未达标 / targets missed" in out
    assert code == (1 if missed else 0)


def test_a_size_that_runs_out_of_time_is_a_named_miss_and_the_others_still_print(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QAWARD_BENCH_TIMEOUT", "0.5")
    code = bench_command([3, 4], http_commands=0, public_seconds=0)
    out = capsys.readouterr().out
    assert code == 1
    assert [row[0] for row in _rows(out, r"\d")] == ["3", "4"] * 3
    assert "- 3: 运行失败 / the run failed: 0.5 s 内未完成 / still running after 0.5 s" in out
    assert out.count("the run failed") == 2
    assert "命令延迟" not in out


def test_a_size_process_that_outlives_its_backstop_is_killed_with_its_server() -> None:
    assert _in_own_process(["--size", "3"], 0.5) == (
        None,
        "0.5 s 后仍无结果 / no result after 0.5 s, killed",
    )


def test_every_target_is_checked_where_it_applies() -> None:
    fine = SizeResult(size=1000, wall_s=60.0, floor_s=45.0, largest_history=7000)
    assert fine.misses() == []
    big = SizeResult(
        size=10,
        wall_s=2.0,
        floor_s=1.0,  # a ratio of 2 is a miss at 1,000 applications only
        largest_history=10_240,
        largest_payload_bytes=256 * 1024 + 1,
        largest_payload_kind="activity input project-cycle",
        largest_payload_workflow="award-cycle-2025",
    )
    missed = big.misses()
    assert len(missed) == 2
    assert "largest history" in missed[0]
    assert "262145" in missed[1]
    assert "activity input project-cycle" in missed[1]
    slow = SizeResult(size=1000, wall_s=130.0, floor_s=80.0, largest_history=7000)
    assert [m.split(" / ")[-1] for m in slow.misses()] == [
        "wall time target",
        "ratio to the engine floor target",
    ]
    failed = SizeResult.failed(5000, "still running after 600 s, stopped")
    assert failed.misses() == [
        "5000: 运行失败 / the run failed: still running after 600 s, stopped"
    ]
    assert "| 5000 | — | — | 0 | 0 | — | — |" in render([failed])


def test_the_command_latency_target_is_the_ratio_of_the_medians() -> None:
    """HTTP over the same command sent straight to its workflow; the no-op beside it."""
    near = Latency.of("POST x", [12.0, 13.0, 14.0], [4.0, 4.0, 5.0], [10.0, 10.0, 11.0])
    assert (near.http_p50_ms, near.direct_p50_ms, near.raw_p50_ms) == (13.0, 10.0, 4.0)
    assert near.ratio == 1.3
    assert near.noop_ratio == 3.25
    assert near.misses() == []
    far = Latency.of("POST x", [30.0] * 5, [5.0] * 5, [10.0] * 5)
    assert far.ratio == 3.0
    assert "HTTP command latency target" in far.misses()[0]
    assert Latency.of("POST x", [1.0], [1.0]).misses()  # no raw update measured: a miss
    assert Latency(error="boom").misses() == [
        "HTTP 命令延迟测量失败 / the command latency run failed: boom"
    ]
