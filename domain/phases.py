"""Phases of a cycle, review stages and application outcomes (DESIGN.md §2, §6)."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """Phases of a cycle (DESIGN.md §2)."""

    OPEN = "open"
    QUALIFICATION = "qualification"
    DOCUMENT_REVIEW = "document_review"
    SHORTLIST = "shortlist"
    SITE_REVIEW = "site_review"
    COMMITTEE = "committee"
    PUBLICITY = "publicity"
    APPROVAL = "approval"
    ANNOUNCED = "announced"
    CANCELLED = "cancelled"


PHASE_ORDER = list(Phase)


class Stage(StrEnum):
    DOCUMENT = "document"
    SITE = "site"


class Outcome(StrEnum):
    PENDING = "pending"
    INELIGIBLE = "ineligible"
    NOT_SHORTLISTED = "not_shortlisted"
    NOT_CANDIDATE = "not_candidate"
    NOT_ELECTED = "not_elected"
    REMOVED_AFTER_PUBLICITY = "removed_after_publicity"
    NOT_APPROVED = "not_approved"
    AWARDED = "awarded"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
