# ruff: noqa: RUF001, RUF100 -- Chinese messages use full-width punctuation on purpose.
"""Error codes: every code cites a rule and has a Chinese message (DESIGN §3, §7)."""

import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import CLAUSES, MESSAGES, RULE_IDS, DomainError, ErrorCode, http_status

CJK = re.compile(r"[\u4e00-\u9fff]")


@given(st.sampled_from(list(ErrorCode)))
def test_every_code_has_rule_id_clause_and_chinese_message(code: ErrorCode) -> None:
    assert code in RULE_IDS
    assert code in CLAUSES
    assert CJK.search(MESSAGES[code])


def test_tables_cover_exactly_the_codes() -> None:
    assert set(RULE_IDS) == set(MESSAGES) == set(CLAUSES) == set(ErrorCode)


@pytest.mark.parametrize(
    ("code", "rule", "clause"),
    [
        (ErrorCode.NOT_REGISTERED_IN_COUNTY, "E1", "§3(1)1"),
        (ErrorCode.REGISTERED_UNDER_3_YEARS, "E1", "§3(1)1"),
        (ErrorCode.NON_COMPLIANT_OPERATION, "E2", "§3(1)2"),
        (ErrorCode.EXCELLENCE_MANAGEMENT_UNDER_2_YEARS, "E3", "§3(1)3"),
        (ErrorCode.POOR_CREDIT_RECORD, "E5", "§3(1)5"),
        (ErrorCode.MU_EFFICIENCY_BELOW_B, "E6", "§3(1)6"),
        (ErrorCode.MU_EFFICIENCY_MISSING, "E6", "§3(1)6"),
        (ErrorCode.FAILED_INSPECTION, "E7", "§3(1)7"),
        (ErrorCode.MAJOR_ACCIDENT, "E7", "§3(1)7"),
        (ErrorCode.MAJOR_COMPLAINT, "E7", "§3(1)7"),
        (ErrorCode.SERIOUS_VIOLATION, "E7", "§3(1)7"),
        (ErrorCode.QUALITY_REAPPLY_WAIT, "E8", "§5(3)"),
        (ErrorCode.INNOVATION_REAPPLY_WAIT, "E8", "§5(3)"),
        (ErrorCode.OTHER, "E3/E4", "§3(1)3, §3(1)4"),
        (ErrorCode.DEADLINE_PASSED, "3.1", "§3(2)2"),
        (ErrorCode.INVALID_CREDIT_CODE, "3.1", "§3(2)2"),
        (ErrorCode.PANEL_TOO_SMALL, "3.2", "§2(4)"),
        (ErrorCode.CONFLICT_OF_INTEREST, "3.2", "§6(1)"),
        (ErrorCode.QUORUM_NOT_MET, "3.3", "§4(4)"),
        (ErrorCode.PUBLICITY_CLOSED, "3.3", "§4(5)"),
        (ErrorCode.NOT_APPROVED, "3.3", "§4(6)"),
        (ErrorCode.INCIDENT_OUTSIDE_WINDOW, "3.4", "§6(6)"),
    ],
)
def test_rule_ids_and_clauses(code: ErrorCode, rule: str, clause: str) -> None:
    assert RULE_IDS[code] == rule
    assert CLAUSES[code] == clause


def test_domain_error_carries_code_rule_and_message() -> None:
    error = DomainError(ErrorCode.MU_EFFICIENCY_BELOW_B)
    assert error.code is ErrorCode.MU_EFFICIENCY_BELOW_B
    assert error.rule == "E6"
    assert error.message == MESSAGES[ErrorCode.MU_EFFICIENCY_BELOW_B]
    assert error.detail is None
    assert str(error) == error.message


def test_domain_error_appends_detail_and_accepts_plain_string_code() -> None:
    error = DomainError("invalid_score", "4.1.2")  # type: ignore[arg-type]
    assert error.code is ErrorCode.INVALID_SCORE
    assert error.message == "评分无效：4.1.2"
    assert error.detail == "4.1.2"
    assert repr(error) == "DomainError('invalid_score', detail='4.1.2')"


def test_domain_error_survives_pickling() -> None:
    restored = pickle.loads(pickle.dumps(DomainError(ErrorCode.QUORUM_NOT_MET, "出席 5 名")))
    assert (restored.code, restored.detail, restored.rule) == (
        ErrorCode.QUORUM_NOT_MET,
        "出席 5 名",
        "3.3",
    )


def test_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="no_such_code"):
        DomainError("no_such_code")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (ErrorCode.NOT_FOUND, 404),
        (ErrorCode.HONOR_NOT_FOUND, 404),
        (ErrorCode.UNKNOWN_ORGANIZATION, 404),
        (ErrorCode.DUPLICATE_APPLICATION, 409),
        (ErrorCode.NOT_IN_PHASE, 409),
        (ErrorCode.PUBLICITY_CLOSED, 409),
        (ErrorCode.CYCLE_EXISTS, 409),
        (ErrorCode.NOT_AUTHENTICATED, 401),
        (ErrorCode.INVALID_CREDENTIALS, 401),
        (ErrorCode.FORBIDDEN, 403),
        (ErrorCode.MATERIAL_TOO_LARGE, 413),
        (ErrorCode.ACCOUNT_LOCKED, 423),
        (ErrorCode.RATE_LIMITED, 429),
        (ErrorCode.ACTIVITY_FAILED, 503),
        (ErrorCode.INVALID_SCORE, 422),
        (ErrorCode.MU_EFFICIENCY_BELOW_B, 422),
        (ErrorCode.QUORUM_NOT_MET, 422),
    ],
)
def test_http_status_suggestion(code: ErrorCode, status: int) -> None:
    assert http_status(code) == status


def test_a_command_may_cite_its_own_clause_and_it_survives_pickling() -> None:
    error = DomainError(ErrorCode.NOT_IN_PHASE, "当前阶段：open", rule="§4(4)")
    assert (error.rule, error.message) == ("§4(4)", "当前评审阶段不允许此操作：当前阶段：open")
    assert repr(error).endswith(", rule='§4(4)')")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.rule, copy.detail) == (error.code, "§4(4)", error.detail)
    assert DomainError(ErrorCode.NOT_IN_PHASE).rule == "3.1"
