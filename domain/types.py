"""Enumerations shared by the rules (DESIGN.md §3, §6)."""

from enum import StrEnum


class Award(StrEnum):
    """The two honors of §1(1): 质量奖 and 创新奖."""

    QUALITY = "quality"
    INNOVATION = "innovation"


class Industry(StrEnum):
    """Industry of an applicant; E3 exempts some of them (§3(1)3)."""

    MANUFACTURING = "manufacturing"
    CONSTRUCTION = "construction"
    SERVICES = "services"
    ENVIRONMENTAL = "environmental"
    AGRICULTURE = "agriculture"
    DIGITAL_ECONOMY = "digital_economy"
    LIFE_HEALTH = "life_health"
    OTHER = "other"


class RecordKind(StrEnum):
    """Dated entries in an organization's record, checked by E5 and E7 (§3(1)5, §3(1)7)."""

    FAILED_INSPECTION = "failed_inspection"
    MAJOR_ACCIDENT = "major_accident"
    MAJOR_COMPLAINT = "major_complaint"
    SERIOUS_VIOLATION = "serious_violation"
    CREDIT_RECORD = "credit_record"
