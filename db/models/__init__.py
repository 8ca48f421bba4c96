"""All tables, imported here so that ``Base.metadata`` is complete for Alembic."""

from db.models.cycles import (
    Application,
    Cycle,
    DepartmentFinding,
    Objection,
    PanelMember,
    Score,
    Vote,
)
from db.models.honors import Honor
from db.models.notices import Notice, OutboxMessage
from db.models.organizations import Organization, OrganizationRecord
from db.models.reviewers import Reviewer, ReviewerTie

__all__ = [
    "Application",
    "Cycle",
    "DepartmentFinding",
    "Honor",
    "Notice",
    "Objection",
    "Organization",
    "OrganizationRecord",
    "OutboxMessage",
    "PanelMember",
    "Reviewer",
    "ReviewerTie",
    "Score",
    "Vote",
]
