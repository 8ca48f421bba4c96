"""Input models of the service layer (also the API's request bodies where they match)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import ConfigDict, Field

from domain.types import Award, Industry, RecordKind
from services.strict import StrictDates

GradeYear = Annotated[int, Field(ge=1900, le=2200)]


class _Model(StrictDates):
    model_config = ConfigDict(extra="forbid")


class RecordCreate(_Model):
    on: date
    kind: RecordKind
    note: str = ""


class OrganizationCreate(_Model):
    credit_code: str = Field(min_length=1, max_length=18)
    name: str = Field(min_length=1, max_length=200)
    county: str = Field(min_length=1, max_length=50)
    registered_on: date
    industry: Industry
    industrial: bool = False
    excellence_since: date | None = None
    mu_efficiency: dict[GradeYear, str] = Field(default_factory=dict)
    record: list[RecordCreate] = Field(default_factory=list)


class ReviewerCreate(_Model):
    code: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1, max_length=100)
    industries: list[Industry] = Field(default_factory=list)
    employer_credit_code: str | None = None
    ties: list[str] = Field(default_factory=list)
    """Credit codes of organizations the reviewer is registered as tied to (回避)."""


class CycleCreate(_Model):
    year: int = Field(ge=2000, le=2100)
    application_deadline: date
    committee_members: int = Field(default=9, ge=1, le=100)
    rules: dict[str, object] = Field(default_factory=dict)


class HistoricalHonorCreate(_Model):
    credit_code: str
    award: Award
    year: int
    awarded_on: date


class IncidentReport(_Model):
    """An accident at a holder of an honor (§6(6))."""

    occurred_on: date
    kind: str = "major_accident"
    major_adverse_impact: bool = True
    note: str = ""
