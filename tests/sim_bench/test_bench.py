"""`qaward bench` at a tiny size: the generated scenario is valid, the table has its shape."""

from __future__ import annotations

import re

import pytest
import yaml

from domain.credit_code import is_valid_credit_code
from sim.bench import bench_command, scenario_data
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
    assert data["rules"] == {"shortlist": {"max_per_award": 3}}


def test_bench_prints_one_row_per_size_and_names_every_missed_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = bench_command([3])
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if re.match(r"^\| \d", line)]
    assert len(rows) == 2  # the main table and the operation counts, one row each
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert len(cells) == 6
    size, wall, rss, largest, floor, ratio = cells
    assert size == "3"
    assert float(wall) > 0
    assert float(floor) > 0
    assert float(rss) > 0
    assert 0 < int(largest) < 10_240
    # the ratio is of the unrounded times; the cells are rounded to 0.1 s
    low = (float(wall) - 0.05) / (float(floor) + 0.05)
    high = (float(wall) + 0.05) / (float(floor) - 0.05)
    assert low <= float(ratio) <= high
    counts = [cell.strip() for cell in rows[1].strip("|").split("|")]
    assert counts[0] == "3"
    assert int(counts[3]) >= 3 * 10  # at least one update per action
    missed = "未达标 / targets missed" in out
    assert code == (1 if missed else 0)
