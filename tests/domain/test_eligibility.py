# ruff: noqa: RUF001, RUF100 -- Chinese messages use full-width punctuation on purpose.
"""Eligibility E1-E8 at the reference date (§3(1), §5(3); DESIGN 3.1)."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from domain.eligibility import (
    DepartmentFinding,
    HeldHonor,
    OrganizationFacts,
    RecordEntry,
    evaluate_eligibility,
    is_repeat_winner,
)
from domain.errors import ErrorCode
from domain.rules import Award, Industry, ProgramRules, RecordKind

REFERENCE = date(2025, 5, 15)  # the example cycle's application deadline
YEAR = 2025
E = ErrorCode


def facts(**changes: Any) -> OrganizationFacts:
    """An organization passing every rule, with `changes` applied."""
    base: dict[str, Any] = {
        "county": "庆元县",
        "registered_on": date(2012, 3, 1),
        "industry": Industry.MANUFACTURING,
        "industrial": True,
        "excellence_since": date(2019, 5, 1),
        "mu_efficiency": {2023: "B", 2024: "A"},
        "record": [],
    }
    return OrganizationFacts(**(base | changes))


def reasons(
    organization: OrganizationFacts,
    rules: ProgramRules,
    *,
    award: Award = Award.QUALITY,
    honors: tuple[HeldHonor, ...] = (),
    findings: tuple[DepartmentFinding, ...] = (),
    reference: date = REFERENCE,
) -> list[ErrorCode]:
    failures = evaluate_eligibility(organization, award, YEAR, reference, honors, findings, rules)
    return [failure.reason for failure in failures]


def record(on: date, kind: RecordKind) -> list[RecordEntry]:
    return [RecordEntry(on=on, kind=kind)]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"county": "龙泉市"}, [E.NOT_REGISTERED_IN_COUNTY]),
        ({"county": " 庆元县 "}, []),
        # E1: exactly 3 years before the reference date passes, a day less fails
        ({"registered_on": date(2022, 5, 15)}, []),
        ({"registered_on": date(2022, 5, 16)}, [E.REGISTERED_UNDER_3_YEARS]),
        # E3: exactly 2 years passes, a day less fails, none fails
        ({"excellence_since": date(2023, 5, 15)}, []),
        ({"excellence_since": date(2023, 5, 16)}, [E.EXCELLENCE_MANAGEMENT_UNDER_2_YEARS]),
        ({"excellence_since": None}, [E.EXCELLENCE_MANAGEMENT_UNDER_2_YEARS]),
        # E3 exemptions
        ({"industry": Industry.AGRICULTURE, "excellence_since": None}, []),
        ({"industry": Industry.DIGITAL_ECONOMY, "excellence_since": date(2025, 1, 1)}, []),
        ({"industry": Industry.LIFE_HEALTH, "excellence_since": None}, []),
        # E6: the grade of the year before the cycle year, industrial enterprises only
        ({"mu_efficiency": {2024: "B"}}, []),
        ({"mu_efficiency": {2024: " a"}}, []),
        ({"mu_efficiency": {2024: "C"}}, [E.MU_EFFICIENCY_BELOW_B]),
        ({"mu_efficiency": {2024: "D"}}, [E.MU_EFFICIENCY_BELOW_B]),
        ({"mu_efficiency": {2023: "A"}}, [E.MU_EFFICIENCY_MISSING]),
        ({"mu_efficiency": {2024: " "}}, [E.MU_EFFICIENCY_MISSING]),
        ({"mu_efficiency": {}}, [E.MU_EFFICIENCY_MISSING]),
        ({"industrial": False, "mu_efficiency": {}}, []),
        ({"industrial": False, "mu_efficiency": {2024: "D"}}, []),
        # E5: credit record in the 3 years before the reference date
        ({"record": record(date(2024, 1, 1), RecordKind.CREDIT_RECORD)}, [E.POOR_CREDIT_RECORD]),
        ({"record": record(date(2022, 5, 15), RecordKind.CREDIT_RECORD)}, []),
        # E7: a record dated exactly 3 years before is outside, the next day inside
        ({"record": record(date(2022, 5, 15), RecordKind.FAILED_INSPECTION)}, []),
        (
            {"record": record(date(2022, 5, 16), RecordKind.FAILED_INSPECTION)},
            [E.FAILED_INSPECTION],
        ),
        ({"record": record(date(2025, 5, 15), RecordKind.MAJOR_ACCIDENT)}, [E.MAJOR_ACCIDENT]),
        ({"record": record(date(2025, 5, 16), RecordKind.MAJOR_ACCIDENT)}, []),
        ({"record": record(date(2023, 1, 1), RecordKind.MAJOR_COMPLAINT)}, [E.MAJOR_COMPLAINT]),
        (
            {"record": record(date(2024, 9, 3), RecordKind.SERIOUS_VIOLATION)},
            [E.SERIOUS_VIOLATION],
        ),
    ],
)
def test_rules_e1_to_e7(
    changes: dict[str, Any], expected: list[ErrorCode], rules: ProgramRules
) -> None:
    assert reasons(facts(**changes), rules) == expected


def test_registration_on_29_february_completes_on_28_february(rules: ProgramRules) -> None:
    organization = facts(registered_on=date(2024, 2, 29))
    assert reasons(organization, rules, reference=date(2027, 2, 28)) == []
    assert reasons(organization, rules, reference=date(2027, 2, 27)) == [E.REGISTERED_UNDER_3_YEARS]


def test_all_failures_are_reported_in_rule_order(rules: ProgramRules) -> None:
    organization = facts(
        county="景宁县",
        registered_on=date(2024, 1, 1),
        excellence_since=None,
        mu_efficiency={2024: "C"},
        record=[
            RecordEntry(on=date(2024, 6, 1), kind=RecordKind.SERIOUS_VIOLATION),
            RecordEntry(on=date(2024, 3, 1), kind=RecordKind.FAILED_INSPECTION),
            RecordEntry(on=date(2024, 2, 1), kind=RecordKind.FAILED_INSPECTION),
            RecordEntry(on=date(2023, 2, 1), kind=RecordKind.CREDIT_RECORD),
        ],
    )
    honors = (HeldHonor(award=Award.QUALITY, year=2023, awarded_on=date(2023, 11, 1)),)
    findings = (
        DepartmentFinding(passed=False, reason=E.NON_COMPLIANT_OPERATION, note="环评未通过"),
        DepartmentFinding(passed=False, reason=E.SERIOUS_VIOLATION),
        DepartmentFinding(passed=True),
        DepartmentFinding(passed=False, note="创新成果不足"),
        DepartmentFinding(passed=False, reason=E.OTHER, note="重复"),
    )
    assert reasons(organization, rules, honors=honors, findings=findings) == [
        E.NOT_REGISTERED_IN_COUNTY,
        E.REGISTERED_UNDER_3_YEARS,
        E.EXCELLENCE_MANAGEMENT_UNDER_2_YEARS,
        E.POOR_CREDIT_RECORD,
        E.MU_EFFICIENCY_BELOW_B,
        E.FAILED_INSPECTION,
        E.SERIOUS_VIOLATION,
        E.QUALITY_REAPPLY_WAIT,
        E.NON_COMPLIANT_OPERATION,
        E.OTHER,
    ]


def test_failure_carries_rule_clause_and_message_with_note(rules: ProgramRules) -> None:
    findings = (
        DepartmentFinding(passed=False, reason=E.NON_COMPLIANT_OPERATION, note="环评未通过"),
        DepartmentFinding(passed=False, note=" "),
    )
    failures = evaluate_eligibility(facts(), Award.QUALITY, YEAR, REFERENCE, (), findings, rules)
    assert [(f.reason, f.rule, f.clause) for f in failures] == [
        (E.NON_COMPLIANT_OPERATION, "E2", "§3(1)2"),
        (E.OTHER, "E3/E4", "§3(1)3, §3(1)4"),
    ]
    assert failures[0].message.endswith("：环评未通过")
    assert failures[1].message == "经职能部门核查不符合申报条件"


def test_finding_reason_must_be_an_eligibility_code() -> None:
    with pytest.raises(ValidationError, match="deadline_passed"):
        DepartmentFinding(passed=False, reason=E.DEADLINE_PASSED)


def honor(award: Award, year: int, *, revoked: bool = False) -> HeldHonor:
    return HeldHonor(award=award, year=year, awarded_on=date(year, 11, 10), revoked=revoked)


@pytest.mark.parametrize(
    ("award", "held", "expected"),
    [
        (Award.QUALITY, [honor(Award.QUALITY, 2021)], []),  # 2025 >= 2021 + 4
        (Award.QUALITY, [honor(Award.QUALITY, 2022)], [E.QUALITY_REAPPLY_WAIT]),
        (Award.QUALITY, [honor(Award.QUALITY, 2023, revoked=True)], []),
        (Award.QUALITY, [honor(Award.INNOVATION, 2025)], []),
        (Award.INNOVATION, [honor(Award.INNOVATION, 2024)], []),  # 2025 >= 2024 + 1
        (Award.INNOVATION, [honor(Award.INNOVATION, 2025)], [E.INNOVATION_REAPPLY_WAIT]),
        (Award.INNOVATION, [honor(Award.QUALITY, 2025)], []),
        (
            Award.QUALITY,
            [honor(Award.QUALITY, 2015), honor(Award.QUALITY, 2023)],
            [E.QUALITY_REAPPLY_WAIT],
        ),
    ],
)
def test_e8_reapplication_wait(
    award: Award, held: list[HeldHonor], expected: list[ErrorCode], rules: ProgramRules
) -> None:
    assert reasons(facts(), rules, award=award, honors=tuple(held)) == expected


@pytest.mark.parametrize(
    ("award", "held", "repeat"),
    [
        (Award.QUALITY, [], False),
        (Award.QUALITY, [honor(Award.QUALITY, 2019)], True),
        (Award.QUALITY, [honor(Award.QUALITY, 2019, revoked=True)], False),
        (Award.QUALITY, [honor(Award.INNOVATION, 2023)], False),
        (Award.INNOVATION, [honor(Award.INNOVATION, 2023)], True),
    ],
)
def test_is_repeat_winner(award: Award, held: list[HeldHonor], repeat: bool) -> None:
    assert is_repeat_winner(award, held) is repeat


def test_lookback_is_configurable(rules: ProgramRules) -> None:
    organization = facts(record=record(date(2021, 6, 1), RecordKind.MAJOR_ACCIDENT))
    longer = rules.eligibility.model_copy(update={"lookback_years": 5})
    assert reasons(organization, rules) == []
    assert reasons(organization, rules.model_copy(update={"eligibility": longer})) == [
        E.MAJOR_ACCIDENT
    ]
