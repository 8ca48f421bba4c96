"""The generated cycle that `qaward bench` runs at each size (`scenario_data`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from domain.credit_code import check_character
from domain.dates import SHANGHAI
from domain.types import Award, Industry
from sim.scenario import Action, Scenario

REVIEWERS_PER_INDUSTRY = 10
PANEL = 3
COMMITTEE = 9
WINNERS_PER_AWARD = 3

_ACTION: TypeAdapter[Any] = TypeAdapter(Action)


def credit_code(prefix: str, serial: int) -> str:
    """A valid 统一社会信用代码: 10-character prefix, 7-digit serial, GB 32100 check character."""
    first17 = f"{prefix}{serial:07d}"
    return first17 + check_character(first17)


def _at(day: date, hour: int = 9, minute: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).isoformat()


def _points(serial: int, salt: int) -> int:
    """A reviewer-independent base score in 500..899, spread over the applications."""
    return 500 + (serial * salt) % 400


def scenario_data(size: int, year: int = 2025) -> dict[str, Any]:
    """The scenario of one generated cycle with `size` applications, as a YAML-able mapping.

    Every organization is eligible (registered long ago, excellence since 2015, industrial
    ones graded A), applications alternate between the awards and run over all industries,
    each industry has `REVIEWERS_PER_INDUSTRY` expert reviewers, and panels rotate among
    them. The committee passes the best `WINNERS_PER_AWARD` of each award by total score.
    """
    industries = list(Industry)
    keys = [f"O{i:04d}" for i in range(size)]
    organizations: dict[str, Any] = {}
    for i, key in enumerate(keys):
        industrial = i % 3 == 0
        organizations[key] = {
            "name": f"庆元县基准测试{i:04d}号有限公司",
            "credit_code": credit_code("91331126MA", i + 1),
            "county": "庆元县",
            "registered_on": "2010-01-01",
            "industry": industries[i % len(industries)].value,
            "industrial": industrial,
            "excellence_since": "2015-01-01",
            "mu_efficiency": {year - 1: "A"} if industrial else {},
        }
    reviewers: dict[str, Any] = {}
    for k, industry in enumerate(industries):
        for j in range(REVIEWERS_PER_INDUSTRY):
            reviewers[f"R{k}{j}"] = {
                "name": f"评审员{k}{j}",
                "industries": [industry.value],
                "employer": credit_code("91331126MB", k * 100 + j + 1),
            }

    def award(i: int) -> str:
        return (Award.QUALITY if i % 2 == 0 else Award.INNOVATION).value

    def panel(i: int) -> list[str]:
        k = i % len(industries)
        start = (i // len(industries)) % REVIEWERS_PER_INDUSTRY
        return [f"R{k}{(start + n) % REVIEWERS_PER_INDUSTRY}" for n in range(PANEL)]

    opened = date(year, 3, 3)
    deadline = date(year, 5, 15)
    timeline: list[dict[str, Any]] = [
        {
            "at": _at(opened),
            "do": "open_cycle",
            "year": year,
            "application_deadline": deadline.isoformat(),
        }
    ]
    intake_days = 60
    for i, key in enumerate(keys):
        day = date(year, 3, 10) + timedelta(days=i * intake_days // max(size, 1))
        timeline.append({"at": _at(day), "do": "apply", "organization": key, "award": award(i)})
    timeline.append({"at": _at(date(year, 5, 16)), "do": "close_qualification"})

    totals: dict[str, float] = {}
    for stage, assign_day, score_day, salt in (
        ("document", date(year, 5, 19), date(year, 6, 1), 7919),
        ("site", date(year, 6, 3), date(year, 6, 20), 104729),
    ):
        if stage == "site":
            timeline.append({"at": _at(date(year, 6, 2)), "do": "shortlist", "auto": True})
        timeline.append({"at": _at(assign_day), "do": "_mark"})
        for i, key in enumerate(keys):
            members = panel(i)
            timeline.append(
                {
                    "do": "assign_panel",
                    "stage": stage,
                    "organization": key,
                    "reviewers": members,
                    "leader": members[0],
                }
            )
        timeline.append({"at": _at(score_day), "do": "_mark"})
        for i, key in enumerate(keys):
            base = _points(i + 1, salt)
            weight = 0.4 if stage == "document" else 0.6
            totals[key] = totals.get(key, 0.0) + weight * (base + 10)
            for n, reviewer in enumerate(panel(i)):
                timeline.append(
                    {
                        "do": "score",
                        "stage": stage,
                        "organization": key,
                        "reviewer": reviewer,
                        "points": base + 10 * n,
                    }
                )
    timeline.append({"at": _at(date(year, 6, 25)), "do": "_mark"})
    timeline.extend({"do": "confirm_site_report", "organization": key} for key in keys)

    for n, which in enumerate(Award):
        entrants = sorted(
            (k for i, k in enumerate(keys) if award(i) == which.value),
            key=lambda k: (-totals[k], k),
        )
        if not entrants:
            continue
        winners = set(entrants[:WINNERS_PER_AWARD])
        ballots = {
            k: {"yes": COMMITTEE, "no": 0, "abstain": 0}
            if k in winners
            else {"yes": COMMITTEE // 2, "no": COMMITTEE - COMMITTEE // 2, "abstain": 0}
            for k in entrants
        }
        timeline.append(
            {
                "at": _at(date(year, 7, 10), 15, 30 * n),
                "do": "vote",
                "award": which.value,
                "present": COMMITTEE,
                "ballots": ballots,
            }
        )
    timeline.append({"at": _at(date(year, 7, 20)), "do": "approve", "strike": []})
    timeline.append({"at": _at(date(year + 5, 7, 21)), "do": "snapshot"})
    return {
        # The engine against its floor: no feedback PDFs after the cycle (about a second
        # each, for every shortlisted applicant), which the floor does not make either.
        "rules": {"shortlist": {"max_per_award": max(size, 1)}, "feedback": {"after_cycle": False}},
        "committee": {"members": COMMITTEE},
        "organizations": organizations,
        "honors": [],
        "reviewers": reviewers,
        "timeline": _fold_marks(timeline),
    }


def _fold_marks(timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`_mark` entries only carry a time: move it onto the next real action."""
    folded: list[dict[str, Any]] = []
    pending: str | None = None
    for entry in timeline:
        if entry["do"] == "_mark":
            pending = entry["at"]
            continue
        if pending is not None:
            entry = {"at": pending, **entry}
            pending = None
        folded.append(entry)
    return folded


def generate_scenario(size: int) -> Scenario:
    """The parsed scenario (validated action by action, without a YAML round trip)."""
    data = scenario_data(size)
    scenario = Scenario.model_validate(data)
    scenario.actions = [_ACTION.validate_python(entry) for entry in data["timeline"]]
    return scenario
