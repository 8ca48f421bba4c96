# ruff: noqa: RUF001, RUF100 -- Chinese messages use full-width punctuation on purpose.
"""Program rules: every configurable value of DESIGN.md §3, with the seed's defaults (§5.1).

The defaults live in `program_rules.yaml` (package data), read once at first use.
"""

import importlib.resources
from collections.abc import Mapping
from fractions import Fraction
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from domain.types import Award, Industry, RecordKind

__all__ = [
    "Award",
    "AwardRules",
    "Industry",
    "ProgramRules",
    "Ratio",
    "RecordKind",
    "RulesError",
    "award_rules",
    "default_rules",
    "load_rules",
]


def _to_fraction(value: object) -> Fraction:
    """Accept 2/3 written as "2/3", a Fraction, an int or a decimal such as 0.4 (read as 2/5)."""
    if isinstance(value, bool):
        raise ValueError("应为分数或小数")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, float):
        # str() gives the shortest decimal that round-trips, so 0.4 means exactly 2/5.
        return Fraction(str(value))
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise ValueError("应为分数（如 2/3）或小数（如 0.5）")


Ratio = Annotated[
    Fraction,
    PlainValidator(_to_fraction),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema({"anyOf": [{"type": "string", "examples": ["2/3"]}, {"type": "number"}]}),
]
"""An exact ratio (committee quorum, pass ratio, score weights); serialised as "2/3"."""


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AwardRules(_Section):
    """Quota, reapplication wait and validity of one award (§1(2), §5(3); E8)."""

    quota: int = Field(ge=1)
    reapply_after_years: int = Field(ge=0)
    validity_years: int | None = Field(ge=1)


class PanelRules(_Section):
    """§2(4): a panel has at least 3 reviewers."""

    min_size: int = Field(ge=1)


class Weights(_Section):
    """Total score = document x 0.4 + site x 0.6 (DESIGN 3.2)."""

    document: Ratio
    site: Ratio

    @model_validator(mode="after")
    def _sum_to_one(self) -> "Weights":
        if self.document < 0 or self.site < 0 or self.document + self.site != 1:
            raise ValueError("资料评审与现场评审权重须为非负数且合计为1")
        return self


class ScoringRules(_Section):
    """GB/T 19580 scoring (§1(4)); totals allowed instead of item percentages."""

    allow_totals: bool
    weights: Weights
    normalise: bool = False
    """When true the z-score normalised stage score is the official one (README: supervision)."""


class ShortlistRules(_Section):
    """Site-review shortlist recommendation (§4(2))."""

    max_per_award: int = Field(ge=1)
    min_document_score: float = Field(ge=0, le=1000)


class CommitteeRules(_Section):
    """Committee vote (§4(4)): quorum ⅔ present, pass with yes > ½ of those present."""

    quorum: Ratio
    pass_ratio: Ratio
    min_total: float = Field(ge=0, le=1000)

    @model_validator(mode="after")
    def _ratios_in_range(self) -> "CommitteeRules":
        if not 0 < self.quorum <= 1:
            raise ValueError("法定出席比例须大于0且不超过1")
        if not 0 <= self.pass_ratio < 1:
            raise ValueError("通过比例须不小于0且小于1")
        return self


class PublicityRules(_Section):
    """§4(5): publicity lasts 7 days."""

    days: int = Field(ge=1)


class BonusRules(_Section):
    """Bonus amounts in CNY (§5(1), §5(3))."""

    quality_first: int = Field(ge=0)
    innovation_first: int = Field(ge=0)
    quality_after_innovation: int = Field(ge=0)
    repeat: int = Field(ge=0)


class ReviewRules(_Section):
    """Stage due dates and reminders (DESIGN 5.1)."""

    document_days: int = Field(ge=1)
    site_days: int = Field(ge=1)
    reminder_days_before: int = Field(ge=0)
    spread_alert_points: float = Field(default=100, ge=0, le=1000)
    """§2(4), §6(1): a panel whose totals differ by more than this is flagged before consensus."""
    item_spread_alert: int = Field(default=30, ge=0, le=100)
    """…or whose percentages for one item differ by more than this many points."""


class RevocationRules(_Section):
    """§6(6): incidents within 2 years of the award may lead to revocation."""

    window_years: int = Field(ge=1)


class EligibilityRules(_Section):
    """Basic conditions E1-E7 (§3(1))."""

    county: str = Field(min_length=1)
    registered_years: int = Field(ge=0)
    excellence_years: int = Field(ge=0)
    exempt_industries: tuple[Industry, ...]
    lookback_years: int = Field(ge=1)
    mu_grades_passing: tuple[str, ...] = Field(min_length=1)


class HonorRules(_Section):
    """When the validity_expiring notice is due (DESIGN 3.5)."""

    validity_expiring_months: int = Field(ge=0)
    follow_up_days: int = Field(default=60, ge=1)
    """§2(3)4, §6(3): the yearly follow-up report is due this many days after the reminder."""


class ProgramRules(_Section):
    """Every configurable value of the program (DESIGN §5.1)."""

    quality: AwardRules
    innovation: AwardRules
    panel: PanelRules
    scoring: ScoringRules
    shortlist: ShortlistRules
    committee: CommitteeRules
    publicity: PublicityRules
    bonus: BonusRules
    review: ReviewRules
    revocation: RevocationRules
    eligibility: EligibilityRules
    honor: HonorRules


class RulesError(ValueError):
    """Program rules that cannot be used; the message names the dotted key (e.g. quality.quota)."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        self.problem = problem
        super().__init__(f"评审规则配置无效：{key}：{problem}")


def award_rules(rules: ProgramRules, award: Award) -> AwardRules:
    """The section of `rules` for `award`."""
    return rules.quality if award == Award.QUALITY else rules.innovation


def _read_defaults() -> Mapping[str, Any]:
    text = importlib.resources.files("domain").joinpath("program_rules.yaml").read_text("utf-8")
    data: Mapping[str, Any] = yaml.safe_load(text)
    return data


# Read at import time: inside Temporal's workflow sandbox file access is refused at run time.
_DEFAULTS = _read_defaults()


def _merge(base: Mapping[str, Any], overrides: Mapping[str, Any], path: str) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        dotted = f"{path}{key}"
        if key not in base:
            raise RulesError(dotted, "未知的配置项")
        current = base[key]
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = _merge(current, value, f"{dotted}.")
        else:
            merged[key] = value
    return merged


def load_rules(overrides: Mapping[str, Any] | None = None) -> ProgramRules:
    """The default rules with `overrides` deep-merged over them, validated (DESIGN §5.1)."""
    if overrides is not None and not isinstance(overrides, Mapping):
        raise RulesError("(root)", "应为键值映射")
    data = _merge(_DEFAULTS, overrides or {}, "")
    try:
        return ProgramRules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise RulesError(key, first["msg"]) from None


_DEFAULT_RULES = load_rules()


def default_rules() -> ProgramRules:
    """The seed's rules (read once, at import)."""
    return _DEFAULT_RULES
