"""Chinese names beside the codes (issue #13 item 11)."""

from enum import StrEnum

import pytest

from domain.departments import Department
from domain.names import (
    AWARD_NAMES,
    DEPARTMENT_NAMES,
    INDUSTRY_NAMES,
    OUTCOME_NAMES,
    PHASE_NAMES,
    RECORD_KIND_NAMES,
    STAGE_NAMES,
    name_of,
)
from domain.phases import Outcome, Phase, Stage
from domain.types import Award, Industry, RecordKind


@pytest.mark.parametrize(
    ("enum", "names"),
    [
        (Phase, PHASE_NAMES),
        (Stage, STAGE_NAMES),
        (Outcome, OUTCOME_NAMES),
        (Award, AWARD_NAMES),
        (Industry, INDUSTRY_NAMES),
        (Department, DEPARTMENT_NAMES),
        (RecordKind, RECORD_KIND_NAMES),
    ],
)
def test_every_code_has_a_chinese_name(enum: type[StrEnum], names: dict[StrEnum, str]) -> None:
    assert set(names) == set(enum)


def test_name_of_looks_up_a_plain_string_in_any_mapping_or_the_one_given() -> None:
    assert name_of("document_review") == "资料评审"
    assert name_of(Award.QUALITY) == "质量奖"
    assert name_of("document", STAGE_NAMES) == "资料评审"
    assert name_of("document_review", STAGE_NAMES) == "document_review"
    assert name_of("brand_new_code") == "brand_new_code"
    assert name_of(None) is None
