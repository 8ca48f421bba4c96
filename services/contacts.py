"""Contacts (联系人、电话、电子邮箱) of organizations, reviewers and users, and a user's own
notice settings (digest on or off, notices read) — issue #15 item 1.

The office keeps the contacts of organizations and reviewers and may set any user's
e-mail; every user sets their own e-mail and digest. Functions take the request's session
and never commit; the SQL is in `db.repositories`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization, Reviewer, User
from domain.contacts import (
    EMAIL_PROBLEM,
    PHONE_PROBLEM,
    is_valid_email,
    normalize_email,
    normalize_phone,
)
from services.accounts import Viewer, get_user
from services.registry import get_organization, get_reviewer
from services.schemas import Printable
from services.strict import StrictDates


def _email(value: str) -> str:
    address = normalize_email(value)
    if not is_valid_email(address):
        raise ValueError(EMAIL_PROBLEM)
    return address


def _phone(value: str) -> str:
    number = normalize_phone(value)
    if number is None:
        raise ValueError(PHONE_PROBLEM)
    return number


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Phone = Annotated[str, Field(max_length=30), AfterValidator(_phone)]


class _Model(StrictDates):
    model_config = ConfigDict(extra="forbid")


class OrganizationContact(_Model):
    """The whole contact; a field left out or null is cleared."""

    contact_person: Printable | None = Field(default=None, max_length=50, description="联系人")
    contact_phone: Phone | None = Field(default=None, description="联系电话")
    contact_email: Email | None = Field(
        default=None, description="电子邮箱（本组织的通知发往此地址）"
    )


class ReviewerContact(_Model):
    email: Email | None = Field(default=None, description="电子邮箱（评审任务通知发往此地址）")
    phone: Phone | None = Field(default=None, description="联系电话")


class UserEmail(_Model):
    email: Email | None = Field(default=None, description="电子邮箱（留空则不发邮件）")


class UserSettings(_Model):
    """A user's own settings; a field left out keeps its value."""

    email: Email | None = Field(default=None, description="电子邮箱（null 清除）")
    digest_enabled: bool | None = Field(default=None, description="是否接收每日摘要邮件")


async def set_organization_contact(
    session: AsyncSession, credit_code: str, data: OrganizationContact
) -> Organization:
    org = await get_organization(session, credit_code)
    org.contact_person = data.contact_person
    org.contact_phone = data.contact_phone
    org.contact_email = data.contact_email
    await session.flush()
    return org


async def set_reviewer_contact(session: AsyncSession, code: str, data: ReviewerContact) -> Reviewer:
    reviewer = await get_reviewer(session, code)
    reviewer.email = data.email
    reviewer.phone = data.phone
    await session.flush()
    return reviewer


async def set_user_email(session: AsyncSession, username: str, data: UserEmail) -> User:
    user = await get_user(session, username)
    user.email = data.email
    await session.flush()
    return user


async def update_own_settings(session: AsyncSession, viewer: Viewer, data: UserSettings) -> User:
    user = await get_user(session, viewer.username)
    if "email" in data.model_fields_set:
        user.email = data.email
    if data.digest_enabled is not None:
        user.digest_enabled = data.digest_enabled
    await session.flush()
    return user


async def mark_notices_read(session: AsyncSession, viewer: Viewer, now: datetime) -> None:
    """Everything published until `now` is read: the digest lists only what comes later."""
    user = await get_user(session, viewer.username)
    user.notices_read_at = now
    await session.flush()
