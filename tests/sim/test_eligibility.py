"""Eligibility E1–E8 at the reference date and department findings (DESIGN.md §3.1)."""

from __future__ import annotations

import pytest

from tests.sim.builders import (
    Json,
    Sim,
    application,
    cycle,
    honor,
    matches,
    notice_days,
    organization,
    refusal_of,
    rejections,
    simulate,
)

pytestmark = pytest.mark.sqlite_only

DEADLINE = "2025-05-15"  # the reference date

# key: (organization facts, award applied for, expected reasons)
CASES: dict[str, tuple[Json, str, list[str]]] = {
    "base": (organization(10, industrial=True, mu_efficiency={2024: "B"}), "quality", []),
    "county": (organization(11, county="丽水市莲都区"), "quality", ["not_registered_in_county"]),
    "reg_exact": (organization(12, registered_on="2022-05-15"), "quality", []),
    "reg_short": (
        organization(13, registered_on="2022-05-16"),
        "quality",
        ["registered_under_3_years"],
    ),
    "exc_exact": (organization(14, excellence_since="2023-05-15"), "quality", []),
    "exc_short": (
        organization(15, excellence_since="2023-05-16"),
        "quality",
        ["excellence_management_under_2_years"],
    ),
    "exc_none": (
        organization(16, industry="services", excellence_since=None),
        "innovation",
        ["excellence_management_under_2_years"],
    ),
    "exempt_digital": (
        organization(17, industry="digital_economy", excellence_since=None),
        "quality",
        [],
    ),
    "exempt_life": (
        organization(18, industry="life_health", excellence_since="2025-01-01"),
        "innovation",
        [],
    ),
    "exempt_agri": (organization(19, industry="agriculture", excellence_since=None), "quality", []),
    "credit_in": (
        organization(20, record=[{"on": "2022-05-16", "kind": "credit_record"}]),
        "quality",
        ["poor_credit_record"],
    ),
    "credit_edge": (
        organization(21, record=[{"on": "2022-05-15", "kind": "credit_record"}]),
        "quality",
        [],
    ),
    "credit_ref_day": (
        organization(22, record=[{"on": DEADLINE, "kind": "credit_record"}]),
        "innovation",
        ["poor_credit_record"],
    ),
    "mu_c": (
        organization(23, industrial=True, mu_efficiency={2024: "C", 2025: "A"}),
        "quality",
        ["mu_efficiency_below_b"],
    ),
    "mu_missing": (
        organization(24, industrial=True, mu_efficiency={2023: "A", 2025: "A"}),
        "quality",
        ["mu_efficiency_missing"],
    ),
    "mu_not_industrial": (organization(25, industrial=False), "quality", []),
    "e7_all": (
        organization(
            26,
            record=[
                {"on": "2023-01-01", "kind": "failed_inspection"},
                {"on": "2024-02-02", "kind": "major_accident"},
                {"on": DEADLINE, "kind": "major_complaint"},
                {"on": "2022-05-16", "kind": "serious_violation"},
            ],
        ),
        "quality",
        ["failed_inspection", "major_accident", "major_complaint", "serious_violation"],
    ),
    "e7_old": (
        organization(
            27,
            record=[
                {"on": "2022-05-15", "kind": "serious_violation"},
                {"on": "2020-01-01", "kind": "failed_inspection"},
                {"on": "2021-06-30", "kind": "credit_record"},
            ],
        ),
        "quality",
        [],
    ),
    "q_wait": (organization(28), "quality", ["quality_reapply_wait"]),
    "q_ok": (organization(29), "quality", []),
    "q_revoked": (organization(30), "quality", []),
    "q_other_award": (organization(31), "innovation", []),
    "i_wait": (organization(32), "innovation", ["innovation_reapply_wait"]),
    "i_ok": (organization(33), "innovation", []),
    "multi": (
        organization(
            34,
            county="景宁畲族自治县",
            registered_on="2023-01-01",
            excellence_since=None,
            industrial=True,
            record=[{"on": "2024-01-01", "kind": "major_accident"}],
        ),
        "quality",
        [
            "not_registered_in_county",
            "registered_under_3_years",
            "excellence_management_under_2_years",
            "mu_efficiency_missing",
            "major_accident",
        ],
    ),
    "f_e2": (organization(35), "quality", ["non_compliant_operation"]),
    "f_other": (organization(36), "innovation", ["other"]),
    "f_pass": (organization(37), "quality", []),
    "f_multi": (
        organization(38, record=[{"on": "2024-03-01", "kind": "failed_inspection"}]),
        "quality",
        ["failed_inspection", "non_compliant_operation", "other"],
    ),
    # Quality Award 2018, expired 2024-01-09, revoked for fraud on 2025-02-01 (E5).
    "fraud": (organization(39), "innovation", ["poor_credit_record"]),
}

HONORS = [
    {"organization": "q_wait", "award": "quality", "year": 2022, "awarded_on": "2023-01-10"},
    # Award year 2021 counts (2025 ≥ 2021 + 4), though it was handed out in 2022.
    {"organization": "q_ok", "award": "quality", "year": 2021, "awarded_on": "2022-01-20"},
    {"organization": "q_revoked", "award": "quality", "year": 2023, "awarded_on": "2024-01-10"},
    {"organization": "q_other_award", "award": "quality", "year": 2023, "awarded_on": "2024-01-10"},
    {"organization": "i_wait", "award": "innovation", "year": 2025, "awarded_on": "2025-01-20"},
    {"organization": "i_ok", "award": "innovation", "year": 2024, "awarded_on": "2024-06-01"},
    {"organization": "fraud", "award": "quality", "year": 2018, "awarded_on": "2019-01-10"},
]


def build() -> Sim:
    sim = Sim(
        "eligibility",
        {key: facts for key, (facts, _, _) in CASES.items()},
        honors=HONORS,
    )
    # A revoked Quality Award does not count for E8 (DESIGN 3.1, 3.4).
    sim.do(
        "report_incident",
        "2025-02-01T10:00",
        organization="q_revoked",
        award="quality",
        occurred_on="2025-01-15",
        kind="major_accident",
        major_adverse_impact=True,
    )
    sim.do("approve_revocation", organization="q_revoked", award="quality")
    # Fraud is revoked at any time, also after expiry, and goes on the credit record (E5).
    sim.do("report_fraud", organization="fraud", award="quality", note="申报材料造假")
    sim.do("approve_revocation", organization="fraud", award="quality")
    sim.do(
        "approve_revocation",
        "2025-02-02T10:00",
        organization="q_revoked",
        award="quality",
        refused={"already_revoked", "revocation_not_pending"},
        tag="approve_revocation_twice",
    )
    sim.do(
        "report_fraud",
        organization="q_revoked",
        award="quality",
        refused="already_revoked",
        tag="fraud_report_on_revoked_honor",
    )
    sim.do("open_cycle", "2025-03-01T09:00", year=2025, application_deadline=DEADLINE)
    for key, (_, award, _) in CASES.items():
        sim.do("apply", "2025-04-01T09:00", organization=key, award=award)
    sim.do(
        "department_finding",
        "2025-05-18T10:00",
        organization="f_e2",
        passed=False,
        reason="non_compliant_operation",
        department="生态环境局",
        note="排污许可不符合要求",
    )
    sim.do(
        "department_finding",
        organization="f_other",
        passed=False,
        reason="other",
        department="经信局",
        note="创新成果未形成较大影响",
    )
    sim.do("department_finding", organization="f_pass", passed=True, department="市场监管局")
    sim.do(
        "department_finding",
        organization="f_multi",
        passed=False,
        reason="non_compliant_operation",
        department="应急管理局",
    )
    sim.do(
        "department_finding",
        organization="f_multi",
        passed=False,
        reason="other",
        note="自评报告与事实不符",
        department="市场监管局",
    )
    sim.do("close_qualification", "2025-05-20T09:00")
    sim.do(
        "department_finding",
        organization="base",
        passed=False,
        reason="other",
        refused={"not_in_phase", "cycle_closed"},
        tag="finding_after_qualification",
    )
    return sim


SIM = build()


@pytest.fixture(scope="module")
async def outcome() -> Json:
    return await simulate(SIM)


@pytest.mark.parametrize(
    ("key", "reasons"), [pytest.param(k, r, id=k) for k, (_, _, r) in CASES.items()]
)
def test_qualification(outcome: Json, key: str, reasons: list[str]) -> None:
    app = application(outcome, key)
    assert sorted(app["reasons"]) == sorted(reasons)
    assert app["outcome"] == ("ineligible" if reasons else "pending")


@pytest.mark.parametrize(
    "key", [pytest.param(k, id=k) for k, (_, _, reasons) in CASES.items() if reasons]
)
def test_ineligible_applicant_is_notified(outcome: Json, key: str) -> None:
    assert notice_days(outcome, "qualification_result", key) == ["2025-05-20"]


def test_eligible_applicants_get_no_qualification_result(outcome: Json) -> None:
    notified = {
        n["organization"] for n in outcome["notices"] if n["kind"] == "qualification_result"
    }
    assert notified == {k for k, (_, _, reasons) in CASES.items() if reasons}


def test_qualification_closes_into_document_review(outcome: Json) -> None:
    assert cycle(outcome)["phase"] == "document_review"


def test_revoked_historical_honor_is_listed_as_revoked(outcome: Json) -> None:
    revoked = honor(outcome, "q_revoked", "quality")
    assert revoked["status"] == "revoked"
    assert revoked["revoked_on"] == "2025-02-01"
    assert revoked["revocation_reason"] == "incident"
    assert revoked["bonus_recovered_cny"] == revoked["bonus_cny"] == 200000


def test_fraud_after_expiry_revokes(outcome: Json) -> None:
    revoked = honor(outcome, "fraud", "quality")
    assert revoked["valid_until"] == "2024-01-09"
    assert revoked["status"] == "revoked"
    assert (revoked["revoked_on"], revoked["revocation_reason"]) == ("2025-02-01", "fraud")
    assert revoked["bonus_recovered_cny"] == 200000
    assert notice_days(outcome, "revocation", "fraud") == ["2025-02-01"]
    assert notice_days(outcome, "revocation", "q_revoked") == ["2025-02-01"]


@pytest.mark.parametrize(("tag", "error"), SIM.refusal_params())
def test_refusal(outcome: Json, tag: str, error: str) -> None:
    assert matches(refusal_of(SIM, outcome, tag), error)


def test_nothing_else_refused(outcome: Json) -> None:
    assert set(rejections(outcome)) <= SIM.refused_indices()
