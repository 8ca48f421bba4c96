"""Contacts (联系方式) and one's own notice settings (issue #15 item 1)."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AnyUser, AsOffice
from api.context import Ctx, SessionDep
from api.schemas.base import Done
from api.schemas.delivery import SettingsOut
from api.schemas.organizations import OrganizationOut
from api.schemas.reviewers import ReviewerOut
from services import contacts
from services.contacts import OrganizationContact, ReviewerContact, UserEmail, UserSettings

router = APIRouter(tags=["联系方式与通知设置"])


@router.put("/organizations/{credit_code}/contact", summary="设置组织的联系人、电话和电子邮箱")
async def organization_contact(
    credit_code: str, body: OrganizationContact, viewer: AsOffice, session: SessionDep
) -> OrganizationOut:
    org = await contacts.set_organization_contact(session, credit_code, body)
    return OrganizationOut.model_validate(org)


@router.put("/reviewers/{code}/contact", summary="设置评审员的电子邮箱和电话")
async def reviewer_contact(
    code: str, body: ReviewerContact, viewer: AsOffice, session: SessionDep
) -> ReviewerOut:
    return ReviewerOut.model_validate(await contacts.set_reviewer_contact(session, code, body))


@router.put("/users/{username}/email", summary="设置用户的电子邮箱")
async def user_email(
    username: str, body: UserEmail, viewer: AsOffice, session: SessionDep
) -> SettingsOut:
    return SettingsOut.model_validate(await contacts.set_user_email(session, username, body))


@router.put("/auth/me/settings", summary="设置本人的电子邮箱和每日摘要")
async def own_settings(body: UserSettings, viewer: AnyUser, session: SessionDep) -> SettingsOut:
    return SettingsOut.model_validate(await contacts.update_own_settings(session, viewer, body))


@router.post("/notices/read", summary="将本人可见的通知全部标为已读")
async def notices_read(viewer: AnyUser, ctx: Ctx, session: SessionDep) -> Done:
    await contacts.mark_notices_read(session, viewer, ctx.clock())
    return Done(message="通知已全部标为已读，每日摘要只列出此后的新通知")
