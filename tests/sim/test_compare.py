"""`qaward simulate --compare`: one scenario under two rule sets, what differs (issue #18)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sim.compare import Difference, differences, merged_rules, table
from sim.runner import run_scenario
from sim.scenario import parse_scenario

QAWARD = Path(sys.executable).parent / "qaward"
SCENARIOS = Path(__file__).parent / "scenarios"


def outcome(
    outcome_p3: str, winners: list[str], honors: list[str], bonus: int = 200000
) -> dict[str, Any]:
    return {
        "cycles": [
            {
                "year": 2025,
                "applications": [
                    {"organization": "P1", "award": "quality", "outcome": "awarded",
                     "total_score": 700.0},
                    {"organization": "P3", "award": "quality", "outcome": outcome_p3,
                     "total_score": 680.0},
                ],
                "winners": {"quality": winners},
            }
        ],
        "honors": [
            {"organization": o, "award": "quality", "year": 2025, "bonus_cny": bonus,
             "valid_until": "2030-11-09", "status": "active"}
            for o in honors
        ],
        "rejected": [],
    }  # fmt: skip


def test_the_same_outcome_has_no_differences() -> None:
    same = outcome("awarded", ["P1", "P3"], ["P1", "P3"])
    assert differences(same, same) == []
    assert table([]) == "两套规则下的结果完全相同。\n"


def test_a_flipped_winner_shows_in_outcome_winners_and_honors() -> None:
    base = outcome("awarded", ["P1", "P3"], ["P1", "P3"])
    variant = outcome("not_elected", ["P1"], ["P1"], bonus=150000)
    variant["rejected"] = [{"index": 4, "do": "apply", "error": "ineligible"}]
    assert differences(base, variant) == [
        Difference("2025 P3 质量奖", "结果", "获奖", "未通过评委会表决"),
        Difference("2025 质量奖", "获奖组织", "P1、P3", "P1"),
        Difference("2025 P1 质量奖称号", "奖金（元）", "200000", "150000"),
        Difference("2025 P3 质量奖称号", "称号", "有", "无"),
        Difference("第4步 apply", "被拒绝", "—（执行）", "ineligible"),
    ]
    lines = table(differences(base, variant)).splitlines()
    assert lines[0].split() == ["对象", "项目", "原规则", "新规则"]
    # Columns line up although Chinese characters are twice as wide.
    assert len({line.index("获奖组织") for line in lines if "获奖组织" in line}) == 1


def test_rule_overrides_merge_over_the_scenarios_own() -> None:
    own = {"quality": {"quota": 3, "validity_years": 5}, "publicity": {"days": 7}}
    assert merged_rules(own, {"quality": {"quota": 2}}) == {
        "quality": {"quota": 2, "validity_years": 5},
        "publicity": {"days": 7},
    }


@pytest.mark.sqlite_only
def test_a_smaller_quota_flips_a_winner_end_to_end(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("quality: {quota: 2}\n", encoding="utf-8")
    done = subprocess.run(
        [str(QAWARD), "simulate", "--compare", str(rules), "--json",
         str(SCENARIOS / "committee-quota.yaml")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {(r["subject"], r["what"]): (r["base"], r["variant"]) for r in json.loads(done.stdout)}
    assert rows[("2025 P3 质量奖", "结果")] == ("获奖", "未通过评委会表决")
    assert rows[("2025 质量奖", "获奖组织")] == ("P1、P2、P3、R1、R2", "P1、P2、R1、R2")
    assert rows[("2025 P3 质量奖称号", "称号")] == ("有", "无")
    assert len(rows) == 3


@pytest.mark.sqlite_only
def test_unknown_rule_keys_are_refused_with_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("quality: {quotas: 2}\n", encoding="utf-8")
    done = subprocess.run(
        [str(QAWARD), "simulate", "--compare", str(rules), str(SCENARIOS / "committee-quota.yaml")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "quality.quotas" in done.stderr


@pytest.mark.parametrize("name", ["example-2025-cycle", "honor-revocation", "supervision-review"])
async def test_a_throwaway_run_has_the_outcome_of_a_sealed_sandboxed_one(name: str) -> None:
    """Rehearsals and `--compare` run without the sandbox and the codec (`throwaway`): the
    same workflow code, so the same outcome, figure for figure, as `qaward simulate`'s."""
    scenario = parse_scenario((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))
    sealed = await run_scenario(scenario, progress=False)
    throwaway = await run_scenario(scenario, progress=False, throwaway=True)
    assert throwaway.to_json() == sealed.to_json()
