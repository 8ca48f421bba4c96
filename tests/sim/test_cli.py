"""`qaward simulate` as a user runs it (DESIGN.md §6): exit status, stdout, stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from sim.runner import run_scenario
from sim.scenario import ScenarioError, parse_scenario
from tests.sim.builders import credit_code

pytestmark = pytest.mark.sqlite_only

QAWARD = Path(sys.executable).parent / "qaward"
A, B = credit_code(1), credit_code(2)
BAD = A[:17] + ("0" if A[17] != "0" else "1")

HEAD = dedent(
    f"""\
    committee: {{members: 9}}
    organizations:
      A: {{name: 庆元县甲公司, credit_code: "{A}", registered_on: 2010-01-01,
          industry: manufacturing, excellence_since: 2018-01-01,
          record: [{{on: 2024-01-01, kind: failed_inspection}}]}}
      BAD: {{name: 庆元县乙公司, credit_code: "{BAD}", registered_on: 2010-01-01,
            industry: services, excellence_since: 2018-01-01}}
    reviewers:
      R1: {{name: 张某, industries: [manufacturing]}}
    """
)
HEAD_LINES = HEAD.count("\n")
TIMELINE = (
    "timeline:\n"
    "  - {at: 2025-03-01T09:00, do: open_cycle, year: 2025, application_deadline: 2025-04-30}\n"
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _simulate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(QAWARD), "simulate", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_completed_run_exits_0_with_json_on_stdout(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEAD
        + dedent(
            """\
            timeline:
              - {at: 2025-03-01T09:00, do: open_cycle, year: 2025, application_deadline: 2025-04-30}
              - {at: 2025-04-01, do: apply, organization: A, award: quality}
              - {do: apply, organization: A, award: innovation}
              - {do: apply, organization: BAD, award: innovation}
              - {at: 2025-05-01, do: snapshot}
              - {at: 2025-05-06, do: close_qualification}
            """
        ),
    )
    result = _simulate(path)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert list(outcome) == [
        "now",
        "cycles",
        "honors",
        "notices",
        "rejected",
        "snapshots",
    ]  # `supervision` only for a scenario that uses it (tests/sim/test_supervision.py)
    assert outcome["now"] == "2025-05-06T00:00:00+08:00"
    assert outcome["rejected"] == [
        {"index": 2, "do": "apply", "error": "duplicate_application"},
        {"index": 3, "do": "apply", "error": "invalid_credit_code"},
    ]
    [state] = outcome["cycles"]
    assert state["year"] == 2025
    assert state["phase"] in {"document_review", "shortlist"}  # qualification closed
    assert state["applications"] == [
        {
            "organization": "A",
            "award": "quality",
            "outcome": "ineligible",
            "reasons": ["failed_inspection"],  # unquoted `on:` in the record is read as a key
            "document_score": None,
            "site_score": None,
            "total_score": None,
        }
    ]
    assert [s["at"] for s in outcome["snapshots"]] == ["2025-05-01T00:00:00+08:00"]
    assert "open_cycle" in result.stderr  # progress goes to stderr, not into the JSON


def _assert_invalid(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_invalid_entry_exits_2_naming_entry_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEAD
        + dedent(
            """\
            timeline:
              - {at: 2025-03-01T09:00, do: open_cycle, year: 2025, application_deadline: 2025-04-30}
              - {at: 2025-04-01, do: apply, organization: A}
            """
        ),
    )
    _assert_invalid(_simulate(path), "timeline[1]", f"line {HEAD_LINES + 3}")


def test_unknown_organization_key_exits_2(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEAD
        + dedent(
            """\
            timeline:
              - {at: 2025-03-01T09:00, do: open_cycle, year: 2025, application_deadline: 2025-04-30}
              - {at: 2025-04-01, do: apply, organization: GHOST, award: quality}
            """
        ),
    )
    _assert_invalid(_simulate(path), "timeline[1]", "GHOST", f"line {HEAD_LINES + 3}")


def test_first_action_without_at_exits_2(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEAD
        + dedent(
            """\
            timeline:
              - {do: open_cycle, year: 2025, application_deadline: 2025-04-30}
            """
        ),
    )
    _assert_invalid(_simulate(path), "timeline[0]", f"line {HEAD_LINES + 2}")


def test_rules_override_error_exits_2_naming_the_key(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "rules: {quality: {quota: 0}}\n"
        + HEAD
        + "timeline:\n  - {at: 2025-03-01T09:00, do: open_cycle, year: 2025, "
        "application_deadline: 2025-04-30}\n",
    )
    _assert_invalid(_simulate(path), "quality.quota")


def test_unquoted_yes_no_on_keys_are_names_not_booleans() -> None:
    scenario = parse_scenario(
        HEAD
        + TIMELINE
        + "  - {at: 2025-10-01, do: vote, award: quality, present: 7,\n"
        + "     ballots: {A: {yes: 5, no: 1, abstain: 1}}}\n"
    )
    vote = scenario.actions[1]
    assert vote.do == "vote"
    ballot = vote.ballots["A"]
    assert (ballot.yes, ballot.no, ballot.abstain) == (5, 1, 1)


# --- the same checks in-process (no child process needed) -------------------------------------


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        pytest.param("timeline: [\n", ["YAML"], id="not_yaml"),
        pytest.param("- just\n- a list\n", [], id="not_a_mapping"),
        pytest.param(
            HEAD + TIMELINE + "  - {at: 2025-03-02, do: fly}\n",
            ["timeline[1]", f"line {HEAD_LINES + 3}"],
            id="unknown_action",
        ),
        pytest.param(
            HEAD + TIMELINE + "  - {at: 2025-02-01, do: snapshot}\n",
            ["timeline[1]", f"{HEAD_LINES + 3}"],
            id="at_goes_back",
        ),
        pytest.param(
            HEAD
            + TIMELINE
            + "  - {do: score, stage: document, organization: A, reviewer: R9, points: 1}\n",
            ["timeline[1]", "R9", f"line {HEAD_LINES + 3}"],
            id="unknown_reviewer",
        ),
        pytest.param(
            HEAD
            + "honors:\n"
            + "  - {organization: GHOST, award: quality, year: 2021, awarded_on: 2022-01-10}\n"
            + TIMELINE,
            ["honors[0]", "GHOST"],
            id="honor_of_unknown_organization",
        ),
    ],
)
def test_invalid_scenario_is_refused_before_running(text: str, fragments: list[str]) -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text)
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_invalid_organization_entry_names_its_line() -> None:
    text = HEAD.replace("industry: services", "industry: mining") + TIMELINE
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text)
    assert "organizations.BAD.industry" in str(raised.value)
    assert "line 7" in str(raised.value)  # the offending value's own line


@pytest.mark.parametrize(
    ("rules", "key"),
    [
        pytest.param("{qualty: {quota: 3}}", "qualty", id="unknown_section"),
        pytest.param("{quality: {quota: 0}}", "quality.quota", id="quota_zero"),
        pytest.param("{committee: {quorum: abc}}", "committee.quorum", id="not_a_ratio"),
        pytest.param(
            "{scoring: {weights: {document: 0.5, site: 0.6}}}",
            "scoring.weights",
            id="weights_over_one",
        ),
    ],
)
async def test_rules_override_error_names_the_key(rules: str, key: str) -> None:
    scenario = parse_scenario(f"rules: {rules}\n" + HEAD + TIMELINE)
    with pytest.raises(ScenarioError) as raised:
        await run_scenario(scenario, progress=False)
    assert key in str(raised.value)


async def test_organization_with_empty_name_is_an_invalid_file() -> None:
    text = HEAD.replace("name: 庆元县甲公司", 'name: ""') + TIMELINE
    with pytest.raises(ScenarioError, match=r"organizations\.A"):
        await run_scenario(parse_scenario(text), progress=False)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        pytest.param(
            (
                "excellence_since: 2018-01-01,\n",
                "excellence_since: 2018-01-01, mu_efficiency: {2024: E},\n",
            ),
            "亩均效益评价档次须为A、B、C、D之一",
            id="mu_grade_outside_a_to_d",
        ),
        pytest.param(
            ("name: 庆元县甲公司", 'name: "庆元县\\u202e甲公司"'), "不得包含控制字符", id="bidi"
        ),
    ],
)
def test_an_organization_with_a_bad_grade_or_a_control_character_is_an_invalid_file(
    change: tuple[str, str], fragment: str
) -> None:
    text = HEAD.replace(*change, 1) + TIMELINE
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text)
    assert "organizations.A" in str(raised.value)
    assert fragment in str(raised.value)


def test_timeline_writes_each_cycle_and_honor_as_svg(tmp_path: Path) -> None:
    scenario = Path(__file__).parent / "scenarios" / "example-2025-cycle.yaml"
    out = tmp_path / "timelines"
    done = subprocess.run(
        [str(QAWARD), "simulate", str(scenario), "--timeline", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names[0] == "cycle-2025-1.svg"
    assert len([n for n in names if n.startswith("honor-")]) == 2
    cycle = (out / names[0]).read_text(encoding="utf-8")
    phases = [
        "申报受理",
        "资格审查",
        "资料评审",
        "现场评审",
        "评委会审查表决",
        "社会公示",
        "县政府审定",
    ]
    positions = [cycle.index(f"<title>{p}：") for p in phases]
    assert positions == sorted(positions)
    assert "县政府审定、通报表彰" in cycle
