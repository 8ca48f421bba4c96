"""The office's registers: organizations (组织), the reviewer pool (评审员专家库, with
industries and registered ties) and user accounts."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.auth import READERS, ROLE_NAMES
from api.context import Ctx, Service, SessionDep
from api.routers import auth as auth_api
from api.routers import contacts as contacts_api
from api.routers import organizations as org_api
from api.routers import reviewers as reviewer_api
from api.schemas.auth import PasswordReset, UserCreate
from api.schemas.organizations import OrganizationIn
from api.schemas.reviewers import TieCreate
from domain.errors import ErrorCode
from domain.names import INDUSTRY_NAMES, RECORD_KIND_NAMES
from domain.types import RecordKind
from services import accounts, honors, listings
from services.accounts import Role, Viewer
from services.contacts import OrganizationContact
from services.schemas import RecordCreate, ReviewerCreate
from web.forms import Form, Posted, act, read_form
from web.paging import page_of, requested
from web.render import render
from web.session import OfficeOrSupervisorUser, OfficeUser, OfficialUser, gate

router = APIRouter(include_in_schema=False)

INDUSTRIES = list(INDUSTRY_NAMES.items())
GRADES = [("A", "A档"), ("B", "B档"), ("C", "C档"), ("D", "D档")]


def _grade_years(today: date) -> list[int]:
    """亩均效益 (E6) is judged on the year before the cycle: the last three years are asked."""
    return [today.year - 3, today.year - 2, today.year - 1]


# --- organizations -----------------------------------------------------------------------------


ORGANIZATIONS_PAGE_SIZE = 50
"""Rows of the register a page shows (the office pages or searches through 1,000)."""


def _organizations_href(q: str, page: int) -> str:
    return "/console/organizations?" + urlencode({**({"q": q} if q else {}), "page": page})


async def _organizations_page(
    request: Request, session: SessionDep, form: Form, today: date, q: str = "", page: str = "1"
) -> Response:
    size = ORGANIZATIONS_PAGE_SIZE
    wanted = requested(page)
    found = await listings.organization_page(session, q, (wanted - 1) * size, size)
    shown = page_of(found.matching, page, size, lambda n: _organizations_href(q, n))
    if shown.number != wanted and found.matching:  # past the last page: the last one
        found = await listings.organization_page(session, q, shown.offset, size)
    return render(
        request,
        "organizations.html",
        title="组织",
        form=form,
        organizations=found.rows,
        q=q,
        page=shown,
        everything=found.everything,
        industries=INDUSTRIES,
        grades=GRADES,
        years=_grade_years(today),
    )


@router.get("/console/organizations")
async def organizations(
    request: Request,
    viewer: OfficialUser,
    ctx: Ctx,
    session: SessionDep,
    q: str = "",
    page: str = "1",
) -> Response:
    form = Form(values={"county": "庆元县", "industry": "manufacturing"})
    return await _organizations_page(request, session, form, ctx.today(), q.strip(), page)


def _organization_body(posted: Posted, today: date) -> OrganizationIn:
    data: dict[str, Any] = posted.data(
        "credit_code", "name", "county", "registered_on", "industry", "excellence_since"
    )
    data["industrial"] = posted.get("industrial") == "on"
    data["mu_efficiency"] = {
        str(y): grade for y in _grade_years(today) if (grade := posted.get(f"mu_{y}"))
    }
    return OrganizationIn.model_validate(data)


@router.post("/console/organizations", summary="登记或更新组织信息")
async def register_organization(
    request: Request, viewer: OfficeUser, ctx: Ctx, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        await org_api.register(_organization_body(posted, ctx.today()), viewer, session)
        return "/console/organizations"

    return await act(
        request,
        posted,
        run,
        "组织信息已登记",
        again=lambda form: _organizations_page(request, session, form, ctx.today()),
        fields={ErrorCode.INVALID_CREDIT_CODE: "credit_code"},
        session=session,
    )


# --- one organization's file -------------------------------------------------------------------


RECORD_KINDS = [(k.value, n) for k, n in RECORD_KIND_NAMES.items()]
FILE_READERS = (Role.OFFICE, Role.SUPERVISOR, Role.APPLICANT)
"""Who reads an organization's records (the API's `OwnFileReaders`)."""
OrganizationReader = Annotated[Viewer, Depends(gate(*READERS, Role.APPLICANT))]


def organization_link(credit_code: str, anchor: str = "") -> str:
    return f"/console/organizations/{credit_code}{anchor}"


async def _organization_page(
    request: Request, session: SessionDep, viewer: Viewer, code: str, today: date, form: Form
) -> Response:
    org = await listings.organization(session, viewer, code)
    records = await listings.records(session, org) if viewer.role in FILE_READERS else None
    everyone = await honors.visible_honors(session, viewer, today)
    held = [h for h in everyone if h.credit_code == org.credit_code]
    if not form.values:
        form.values = {
            "contact_person": org.contact_person or "",
            "contact_phone": org.contact_phone or "",
            "contact_email": org.contact_email or "",
            "kind": RecordKind.MAJOR_ACCIDENT.value,
        }
    return render(
        request,
        "organization.html",
        title=f"{org.name}（{org.credit_code}）",
        org=org,
        applications=await listings.organization_applications(session, viewer, org),
        honors=held,
        records=records,
        kinds=RECORD_KINDS,
        form=form,
        today=today,
    )


@router.get("/console/organizations/{code}")
async def organization(
    request: Request, code: str, viewer: OrganizationReader, ctx: Ctx, session: SessionDep
) -> Response:
    return await _organization_page(request, session, viewer, code, ctx.today(), Form())


@router.post(
    "/console/organizations/{code}/records", summary="登记组织的检查、事故、投诉或信用记录"
)
async def add_record(
    request: Request, code: str, viewer: OfficeUser, ctx: Ctx, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = RecordCreate.model_validate(posted.data("on", "kind", "note"))
        await org_api.add_record(code, body, viewer, session)
        return organization_link(code.strip().upper(), "#records")

    return await act(
        request,
        posted,
        run,
        "记录已登记",
        again=lambda form: _organization_page(request, session, viewer, code, ctx.today(), form),
        fields={ErrorCode.INVALID_INPUT: "on"},
        session=session,
    )


@router.post("/console/organizations/{code}/contact", summary="设置组织的联系人、电话和电子邮箱")
async def set_contact(
    request: Request, code: str, viewer: OfficeUser, ctx: Ctx, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        data = posted.data("contact_person", "contact_phone", "contact_email")
        await contacts_api.organization_contact(
            code, OrganizationContact.model_validate(data), viewer, session
        )
        return organization_link(code.strip().upper(), "#contact")

    return await act(
        request,
        posted,
        run,
        "联系方式已保存",
        again=lambda form: _organization_page(request, session, viewer, code, ctx.today(), form),
        session=session,
    )


# --- reviewers ---------------------------------------------------------------------------------


async def _reviewers_page(request: Request, session: SessionDep, form: Form) -> Response:
    pool = await listings.reviewers(session)
    ties = {r.id: await listings.ties(session, r.id) for r in pool}
    return render(
        request,
        "reviewers.html",
        title="评审员专家库",
        form=form,
        pool=pool,
        ties=ties,
        industries=INDUSTRIES,
    )


@router.get("/console/reviewers")
async def reviewers(
    request: Request, viewer: OfficeOrSupervisorUser, session: SessionDep
) -> Response:
    return await _reviewers_page(request, session, Form())


@router.post("/console/reviewers", summary="登记或更新评审员")
async def register_reviewer(request: Request, viewer: OfficeUser, session: SessionDep) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        data: dict[str, Any] = posted.data("code", "name", "employer_credit_code")
        data["industries"] = posted.getlist("industries")
        data["ties"] = [
            c for c in (posted.get("ties") or "").replace("，", ",").split(",") if c.strip()
        ]
        await reviewer_api.register(ReviewerCreate.model_validate(data), viewer, session)
        return "/console/reviewers"

    return await act(
        request,
        posted,
        run,
        "评审员已登记",
        again=lambda form: _reviewers_page(request, session, form),
        fields={ErrorCode.INVALID_CREDIT_CODE: "ties", ErrorCode.UNKNOWN_ORGANIZATION: "ties"},
        session=session,
    )


@router.post("/console/reviewers/{code}/ties", summary="登记评审员与组织的利害关系")
async def add_tie(
    request: Request, code: str, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = TieCreate.model_validate(posted.data("credit_code"))
        await reviewer_api.add_tie(code, body, viewer, session, service)
        return "/console/reviewers"

    return await act(
        request,
        posted,
        run,
        "利害关系已登记，相关评审任务已撤回",
        again=lambda form: _reviewers_page(request, session, form),
        fields={
            ErrorCode.INVALID_CREDIT_CODE: "credit_code",
            ErrorCode.UNKNOWN_ORGANIZATION: "credit_code",
        },
        session=session,
    )


# --- users -------------------------------------------------------------------------------------


def _roles() -> list[tuple[str, str]]:
    return [(role.value, name) for role, name in ROLE_NAMES.items()]


async def _users_page(request: Request, session: SessionDep, form: Form) -> Response:
    return render(
        request,
        "users.html",
        title="用户",
        form=form,
        users=await accounts.list_users(session),
        roles=_roles(),
    )


@router.get("/console/users")
async def users(request: Request, viewer: OfficeOrSupervisorUser, session: SessionDep) -> Response:
    return await _users_page(request, session, Form(values={"role": "reviewer"}))


@router.post("/console/users", summary="创建用户账户")
async def create_user(request: Request, viewer: OfficeUser, session: SessionDep) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        data = posted.data(
            "username", "display_name", "password", "role", "reviewer_code", "credit_code"
        )
        await auth_api.create_user(UserCreate.model_validate(data), viewer, session)
        return "/console/users"

    return await act(
        request,
        posted,
        run,
        "用户账户已创建",
        again=lambda form: _users_page(request, session, form),
        fields={
            ErrorCode.ALREADY_EXISTS: "username",
            ErrorCode.UNKNOWN_REVIEWER: "reviewer_code",
            ErrorCode.INVALID_CREDIT_CODE: "credit_code",
            ErrorCode.UNKNOWN_ORGANIZATION: "credit_code",
            ErrorCode.INVALID_INPUT: "password",
        },
        session=session,
    )


@router.post("/console/users/{username}/active", summary="停用或重新启用用户账户")
async def set_active(
    request: Request, username: str, viewer: OfficeUser, session: SessionDep
) -> Response:
    posted = await read_form(request)
    active = posted.get("active") == "1"

    async def run() -> str:
        await accounts.set_active(session, viewer, username, active=active)
        return "/console/users"

    return await act(
        request,
        posted,
        run,
        "账户已启用" if active else "账户已停用",
        again=lambda form: _users_page(request, session, form),
        session=session,
    )


@router.post("/console/users/{username}/password-reset", summary="重置用户密码并解除锁定")
async def reset_password(
    request: Request, username: str, viewer: OfficeUser, ctx: Ctx, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = PasswordReset.model_validate(posted.data("new_password"))
        await auth_api.reset_password(username, body, viewer, ctx, session)
        return "/console/users"

    return await act(
        request,
        posted,
        run,
        f"用户 {username} 的密码已重置",
        again=lambda form: _users_page(request, session, form),
        fields={ErrorCode.INVALID_INPUT: "new_password"},
        session=session,
    )
