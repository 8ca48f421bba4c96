"""Applications (申报): intake, withdrawal, department findings, qualification, site report."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import (
    AnyUser,
    AsApplicant,
    AsOffice,
    OfficeOrApplicant,
    Officials,
    OfficialsOrApplicant,
)
from api.context import Service, SessionDep
from api.routers.params import Year
from api.schemas.applications import (
    ApplicationCreate,
    ApplicationOut,
    BecauseOut,
    FindingCreate,
    QualificationOut,
    ReasonOut,
    VerificationTaskOut,
)
from api.schemas.base import Done
from domain.departments import DEPARTMENT_NAMES, Department
from domain.eligibility import Failure
from domain.errors import DomainError, ErrorCode
from services import explanations, views
from services.accounts import Role, Viewer
from services.eligibility import is_preliminary, preliminary_failures
from services.views import ApplicationRow

router = APIRouter(tags=["申报"])
BASE = "/cycles/{year}/applications"
ONE = BASE + "/{credit_code}"


def _score(value: float | None, visible: bool = True) -> float | None:
    return value if visible else None


def reasons(row: ApplicationRow, preliminary: dict[int, list[Failure]]) -> list[ReasonOut]:
    """The decided reasons, or while qualification is open those failing already."""
    if is_preliminary(row):
        return [
            ReasonOut(reason=f.reason.value, rule=f.rule, clause=f.clause, message=f.message)
            for f in preliminary.get(row.application.id, [])
        ]
    return [
        ReasonOut(
            reason=r.get("reason", ""),
            rule=r.get("rule", ""),
            clause=r.get("clause", ""),
            message=r.get("message", ""),
        )
        for r in row.application.reasons
    ]


def application_out(
    row: ApplicationRow, viewer: Viewer, preliminary: dict[int, list[Failure]]
) -> ApplicationOut:
    """Reviewers see who and what only; applicants see stage scores once reported."""
    app, org = row.application, row.organization
    out = ApplicationOut(
        year=row.cycle.year,
        credit_code=org.credit_code,
        name=org.name,
        award=app.award,
        industry=org.industry,
        submitted_at=app.submitted_at,
    )
    if viewer.role == Role.REVIEWER:
        return out
    own = viewer.role == Role.APPLICANT
    out.outcome = app.outcome
    out.eligible = app.eligible
    out.preliminary = is_preliminary(row)
    out.reasons = reasons(row, preliminary)
    out.shortlisted = app.shortlisted
    out.document_score = _score(app.document_score, not own or app.shortlisted is not None)
    out.site_score = _score(app.site_score, not own or app.site_report_confirmed_at is not None)
    out.total_score = _score(app.total_score)
    out.site_report_confirmed_at = app.site_report_confirmed_at
    return out


async def visible(session: AsyncSession, viewer: Viewer, year: int, code: str) -> ApplicationRow:
    return await views.application(session, viewer, year, code)


@router.post(BASE, summary="提交申报", status_code=201)
async def apply(
    year: Year,
    body: ApplicationCreate,
    viewer: OfficeOrApplicant,
    service: Service,
    session: SessionDep,
) -> ApplicationOut:
    if viewer.role == Role.APPLICANT:
        code = viewer.credit_code or ""
        if body.credit_code is not None and body.credit_code.strip().upper() != code:
            raise DomainError(ErrorCode.FORBIDDEN, "申报组织只能为本组织申报")
    elif body.credit_code is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "请填写申报组织的统一社会信用代码")
    else:
        code = body.credit_code.strip().upper()
    await service.apply(year, code, body.award)
    row = await visible(session, viewer, year, code)
    return application_out(row, viewer, await preliminary_failures(session, [row]))


@router.get(BASE, summary="申报列表（按权限过滤）")
async def list_applications(
    year: Year, viewer: AnyUser, session: SessionDep
) -> list[ApplicationOut]:
    rows = await views.applications(session, viewer, year)
    preliminary = await preliminary_failures(session, rows)
    return [application_out(row, viewer, preliminary) for row in rows]


@router.get(ONE, summary="申报详情")
async def get_application(
    year: Year, credit_code: str, viewer: AnyUser, session: SessionDep
) -> ApplicationOut:
    row = await visible(session, viewer, year, credit_code)
    out = application_out(row, viewer, await preliminary_failures(session, [row]))
    if viewer.role != Role.REVIEWER:
        found = await explanations.explanation(session, row)
        out.explanation = [BecauseOut(clause=b.clause, text=b.text) for b in found]
    return out


@router.post(ONE + "/withdraw", summary="撤回申报")
async def withdraw(
    year: Year, credit_code: str, viewer: OfficeOrApplicant, service: Service, session: SessionDep
) -> Done:
    row = await visible(session, viewer, year, credit_code)
    await service.withdraw(year, row.organization.credit_code)
    return Done(message="申报已撤回")


@router.post(ONE + "/findings", summary="录入职能部门核查意见", status_code=201)
async def record_finding(
    year: Year, credit_code: str, body: FindingCreate, viewer: AsOffice, service: Service
) -> Done:
    await service.record_finding(
        year,
        credit_code.strip().upper(),
        passed=body.passed,
        reason=body.reason,
        note=body.note,
        department=body.department.value if body.department else "",
    )
    return Done(message="核查意见已记录")


@router.get(ONE + "/qualification", summary="资格审查结果")
async def qualification(
    year: Year, credit_code: str, viewer: OfficialsOrApplicant, session: SessionDep
) -> QualificationOut:
    row = await visible(session, viewer, year, credit_code)
    return QualificationOut(
        credit_code=row.organization.credit_code,
        eligible=row.application.eligible,
        preliminary=is_preliminary(row),
        outcome=row.application.outcome,
        reasons=reasons(row, await preliminary_failures(session, [row])),
    )


@router.get(ONE + "/verification-tasks", summary="职能部门核查任务及完成情况")
async def verification_tasks(
    year: Year, credit_code: str, viewer: Officials, session: SessionDep
) -> list[VerificationTaskOut]:
    row = await visible(session, viewer, year, credit_code)
    tasks = await views.verification_tasks(session, row.application.id)
    return [
        VerificationTaskOut(
            department=t.department,
            department_name=DEPARTMENT_NAMES.get(Department(t.department), t.department),
            requested_at=t.created_at,
            done_at=t.done_at,
        )
        for t in tasks
    ]


@router.post(ONE + "/site-report/confirm", summary="申报组织确认现场评审报告")
async def confirm_site_report(
    year: Year, credit_code: str, viewer: AsApplicant, service: Service, session: SessionDep
) -> Done:
    row = await visible(session, viewer, year, credit_code)
    await service.confirm_site_report(year, row.organization.credit_code)
    return Done(message="现场评审报告已确认")
