"""Building scenario files for `qaward simulate` (DESIGN.md §6) and reading its outcome.

A `Sim` collects organizations, reviewers, honors and a timeline, then dumps the YAML the
simulator reads. Timeline entries can carry a tag (to find their index in `rejected`) and the
refusal the specification expects; `bug=` marks an expectation the product does not meet yet.

`python -m tests.sim.builders [DIR]` writes every scenario of the suite as YAML (default:
tests/sim/scenarios/), for running one by hand with `qaward simulate`.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from domain.credit_code import check_character
from sim.runner import run_scenario
from sim.scenario import parse_scenario

Json = dict[str, Any]


# Reviewers by industry expertise; a panel is the first three of its industry unless named.
POOL: dict[str, Json] = {
    "M1": {"name": "制造评审甲", "industries": ["manufacturing"]},
    "M2": {"name": "制造评审乙", "industries": ["manufacturing"]},
    "M3": {"name": "制造评审丙", "industries": ["manufacturing"]},
    "M4": {"name": "制造评审丁", "industries": ["manufacturing"]},
    "S1": {"name": "服务评审甲", "industries": ["services"]},
    "S2": {"name": "服务评审乙", "industries": ["services"]},
    "S3": {"name": "服务评审丙", "industries": ["services"]},
    "G1": {"name": "综合评审甲", "industries": ["agriculture", "digital_economy"]},
    "G2": {"name": "综合评审乙", "industries": ["life_health", "construction"]},
}
PANELS: dict[str, list[str]] = {
    "manufacturing": ["M1", "M2", "M3"],
    "services": ["S1", "S2", "S3"],
    "agriculture": ["G1", "M1", "S1"],
    "digital_economy": ["G1", "M1", "S1"],
    "life_health": ["G2", "M1", "S1"],
    "construction": ["G2", "M1", "S1"],
}


def credit_code(n: int) -> str:
    """A unified social credit code (GB 32100) that passes the check character."""
    first = f"91331126MA{n:07d}"
    return first + check_character(first)


def organization(
    n: int,
    *,
    industry: str = "manufacturing",
    industrial: bool = False,
    registered_on: str = "2010-01-01",
    excellence_since: str | None = "2018-01-01",
    county: str = "庆元县",
    mu_efficiency: dict[int, str] | None = None,
    record: list[Json] | None = None,
    code: str | None = None,
) -> Json:
    """An organization that meets every basic condition unless told otherwise."""
    return {
        "name": f"庆元县测试{n}号有限公司",
        "credit_code": code if code is not None else credit_code(n),
        "county": county,
        "registered_on": registered_on,
        "industry": industry,
        "industrial": industrial,
        "excellence_since": excellence_since,
        "mu_efficiency": mu_efficiency or {},
        "record": record or [],
    }


@dataclass
class Refusal:
    tag: str
    error: str | set[str]
    bug: str | None


@dataclass
class Sim:
    """A scenario under construction: facts, then a timeline of actions."""

    name: str
    organizations: dict[str, Json]
    reviewers: dict[str, Json] = field(default_factory=lambda: dict(POOL))
    honors: list[Json] = field(default_factory=list)
    rules: Json = field(default_factory=dict)
    members: int = 9
    timeline: list[Json] = field(default_factory=list)
    tags: dict[str, int] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)

    def do(
        self,
        do: str,
        at: str | None = None,
        *,
        tag: str | None = None,
        refused: str | set[str] | None = None,
        bug: str | None = None,
        **fields: Any,
    ) -> int:
        """Append an action; `refused` is the error code(s) the specification expects."""
        entry: Json = {} if at is None else {"at": at}
        entry["do"] = do
        entry.update(fields)
        self.timeline.append(entry)
        index = len(self.timeline) - 1
        if refused is not None:
            tag = tag or f"{index}-{do}-{refused if isinstance(refused, str) else 'refused'}"
            self.refusals.append(Refusal(tag, refused, bug))
        if tag is not None:
            assert tag not in self.tags, f"duplicate tag {tag}"
            self.tags[tag] = index
        return index

    def panel(
        self,
        key: str,
        stage: str,
        scores: Iterable[float | None],
        *,
        reviewers: list[str] | None = None,
        at: str | None = None,
    ) -> None:
        """Assign a panel (first reviewer leads) and record each given score (None: none)."""
        members = reviewers or PANELS[self.organizations[key]["industry"]]
        self.do(
            "assign_panel", at, stage=stage, organization=key, reviewers=members, leader=members[0]
        )
        for reviewer, points in zip(members, scores, strict=False):
            if points is not None:
                self.do("score", stage=stage, organization=key, reviewer=reviewer, points=points)

    def apply_all(self, awards: dict[str, str], at: str) -> None:
        for key, award in awards.items():
            self.do("apply", at, organization=key, award=award)

    def review_all(
        self,
        scores: dict[str, tuple[float, float]],
        *,
        document_at: str,
        shortlist_at: str,
        site_at: str,
        confirm_at: str,
    ) -> None:
        """Both stages for each key: every panel member gives (document, site) points."""
        first = True
        for key, (document, _) in scores.items():
            self.panel(key, "document", [document] * 3, at=document_at if first else None)
            first = False
        self.do("shortlist", shortlist_at, organizations=list(scores))
        first = True
        for key, (_, site) in scores.items():
            self.panel(key, "site", [site] * 3, at=site_at if first else None)
            first = False
        first = True
        for key in scores:
            self.do("confirm_site_report", confirm_at if first else None, organization=key)
            first = False

    def index(self, tag: str) -> int:
        return self.tags[tag]

    def data(self) -> Json:
        scenario: Json = {
            "rules": self.rules,
            "committee": {"members": self.members},
            "organizations": self.organizations,
            "honors": self.honors,
            "reviewers": self.reviewers,
            "timeline": self.timeline,
        }
        return scenario

    def yaml(self) -> str:
        header = f"# {self.name}: generated by tests/sim/builders.py, do not edit by hand\n"
        return header + yaml.safe_dump(self.data(), allow_unicode=True, sort_keys=False)

    def refusal_params(self) -> list[Any]:
        """One pytest param per expected refusal, xfail(strict) where the product is wrong."""
        params = []
        for refusal in self.refusals:
            marks = [pytest.mark.xfail(strict=True, reason=refusal.bug)] if refusal.bug else []
            params.append(pytest.param(refusal.tag, refusal.error, id=refusal.tag, marks=marks))
        return params

    def refused_indices(self) -> set[int]:
        return {self.tags[r.tag] for r in self.refusals}


async def simulate(sim: Sim) -> Json:
    """Run the scenario in-process, as `qaward simulate` does, and return its JSON."""
    outcome = await run_scenario(parse_scenario(sim.yaml()), progress=False)
    result: Json = json.loads(json.dumps(outcome.to_json()))
    return result


# --- reading the outcome ------------------------------------------------------------------


def rejections(outcome: Json) -> dict[int, str]:
    return {r["index"]: r["error"] for r in outcome["rejected"]}


def refusal_of(sim: Sim, outcome: Json, tag: str) -> str | None:
    return rejections(outcome).get(sim.index(tag))


def matches(error: str | None, expected: str | set[str]) -> bool:
    return error in expected if isinstance(expected, set) else error == expected


def cycle(outcome: Json, year: int | None = None) -> Json:
    cycles = [c for c in outcome["cycles"] if year is None or c["year"] == year]
    assert cycles, f"no cycle {year}"
    found: Json = cycles[-1]
    return found


def application(outcome: Json, key: str, year: int | None = None) -> Json:
    apps = [a for a in cycle(outcome, year)["applications"] if a["organization"] == key]
    assert len(apps) == 1, f"application of {key}: {apps}"
    found: Json = apps[0]
    return found


def outcomes(outcome: Json, year: int | None = None) -> dict[str, str]:
    return {a["organization"]: a["outcome"] for a in cycle(outcome, year)["applications"]}


def honor(outcome: Json, key: str, award: str, year: int | None = None) -> Json:
    found = [
        h
        for h in outcome["honors"]
        if h["organization"] == key and h["award"] == award and (year is None or h["year"] == year)
    ]
    assert len(found) == 1, f"honor of {key} {award} {year}: {found}"
    one: Json = found[0]
    return one


def notices(outcome: Json, kind: str, organization: str | None = None) -> list[Json]:
    return [
        n
        for n in outcome["notices"]
        if n["kind"] == kind and (organization is None or n["organization"] == organization)
    ]


def notice_days(outcome: Json, kind: str, organization: str | None = None) -> list[str]:
    return [n["on"] for n in notices(outcome, kind, organization)]


# --- dumping the suite's scenarios ---------------------------------------------------------

MODULES = (
    "tests.sim.test_intake",
    "tests.sim.test_eligibility",
    "tests.sim.test_review",
    "tests.sim.test_shortlist",
    "tests.sim.test_committee",
    "tests.sim.test_publicity",
    "tests.sim.test_honors",
    "tests.sim.test_cycles",
    "tests.sim.test_rules",
    "tests.sim.test_supervision",
)
SCENARIO_DIR = Path(__file__).parent / "scenarios"


def all_sims() -> list[Sim]:
    sims: list[Sim] = []
    for name in MODULES:
        module = importlib.import_module(name)
        sims.extend(value for value in vars(module).values() if isinstance(value, Sim))
    return sims


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else SCENARIO_DIR
    target.mkdir(parents=True, exist_ok=True)
    for sim in all_sims():
        (target / f"{sim.name}.yaml").write_text(sim.yaml(), encoding="utf-8")
        print(target / f"{sim.name}.yaml")
    return 0


if __name__ == "__main__":
    # Run through the importable module so its `Sim` is the one the test modules use.
    from tests.sim.builders import main as _main

    raise SystemExit(_main(sys.argv[1:]))
