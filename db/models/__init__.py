"""All tables, imported here so that ``Base.metadata`` is complete for Alembic."""

from db.models.cycles import (
    Application,
    Cycle,
    DepartmentFinding,
    Objection,
    PanelMember,
    Score,
    VerificationTask,
    Vote,
)
from db.models.honors import Honor, HonorIncident
from db.models.notices import Notice, OutboxMessage
from db.models.organizations import Organization, OrganizationRecord
from db.models.reviewers import Reviewer, ReviewerTie

__all__ = [
    "Application",
    "Cycle",
    "DepartmentFinding",
    "Honor",
    "HonorIncident",
    "Notice",
    "Objection",
    "Organization",
    "OrganizationRecord",
    "OutboxMessage",
    "PanelMember",
    "Reviewer",
    "ReviewerTie",
    "Score",
    "VerificationTask",
    "Vote",
]

# Accounts, audit trail and materials (API, issue #5).
from db.models.accounts import AccessToken, IdempotentRequest, User
from db.models.audit import AuditEntry
from db.models.delivery import Delivery  # notice e-mail and the daily digest (issue #15)

# The archive of generated documents (issue #15).
from db.models.documents import Document
from db.models.materials import Material

# Login throttles and the objection limit (security hardening, issue #12).
from db.models.security import ObjectionSlot, Throttle

__all__ += ["AccessToken", "AuditEntry", "IdempotentRequest", "Material", "User"]
__all__ += ["ObjectionSlot", "Throttle"]

# Supervision and review quality (issue #16).
from db.models.supervision import (  # noqa: E402
    FollowUp,
    Irregularity,
    PanelDraw,
    ReviewerAppointment,
    ReviewerDiscipline,
    ReviewerTraining,
)

__all__ += ["FollowUp", "Irregularity", "PanelDraw", "ReviewerAppointment"]
__all__ += ["ReviewerDiscipline", "ReviewerTraining"]
__all__ += ["Delivery"]
__all__ += ["Document"]
