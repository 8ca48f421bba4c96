"""The reviewer pool (评审员专家库), ties and declared conflicts (回避, §6(1)), assignments."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AsOffice, OfficeOrReviewer, OfficeOrSupervisor, PoolReaders
from api.context import Service, SessionDep
from api.routers.params import Year
from api.schemas.base import Done
from api.schemas.reviewers import (
    AssignmentOut,
    ConflictCreate,
    IndustriesUpdate,
    ReviewerOut,
    TieCreate,
    TieOut,
)
from domain.credit_code import is_valid_credit_code
from domain.errors import DomainError, ErrorCode
from services import listings, registry, views
from services.accounts import Role
from services.schemas import ReviewerCreate

router = APIRouter(tags=["评审员与回避"])


def _check_code(code: str) -> str:
    code = code.strip().upper()
    if not is_valid_credit_code(code):
        raise DomainError(ErrorCode.INVALID_CREDIT_CODE, code)
    return code


@router.post("/reviewers", summary="登记或更新评审员", status_code=201)
async def register(body: ReviewerCreate, viewer: AsOffice, session: SessionDep) -> ReviewerOut:
    employer = body.employer_credit_code
    data = body.model_copy(
        update={
            "employer_credit_code": _check_code(employer) if employer is not None else None,
            "ties": [_check_code(c) for c in body.ties],
        }
    )
    for code in data.ties:  # refuse unknown organizations instead of skipping them
        await registry.get_organization(session, code)
    return ReviewerOut.model_validate(await registry.register_reviewer(session, data))


@router.get("/reviewers", summary="评审员专家库")
async def list_reviewers(viewer: OfficeOrSupervisor, session: SessionDep) -> list[ReviewerOut]:
    return [ReviewerOut.model_validate(r) for r in await listings.reviewers(session)]


@router.get("/reviewers/{code}", summary="评审员详情")
async def get_reviewer(code: str, viewer: PoolReaders, session: SessionDep) -> ReviewerOut:
    return ReviewerOut.model_validate(await listings.reviewer(session, viewer, code))


@router.put("/reviewers/{code}/industries", summary="设置评审员的行业专长")
async def set_industries(
    code: str, body: IndustriesUpdate, viewer: AsOffice, session: SessionDep
) -> ReviewerOut:
    current = await registry.get_reviewer(session, code)
    data = ReviewerCreate(
        code=current.code,
        name=current.name,
        industries=body.industries,
        employer_credit_code=current.employer_credit_code,
    )
    return ReviewerOut.model_validate(await registry.register_reviewer(session, data))


@router.post("/reviewers/{code}/ties", summary="登记评审员与组织的利害关系", status_code=201)
async def add_tie(
    code: str, body: TieCreate, viewer: AsOffice, session: SessionDep, service: Service
) -> TieOut:
    """Recorded for every future panel; in the open cycle the reviewer is withdrawn from the
    applicant's panels whose stage is still open, as with a declared conflict (§6(1))."""
    registered = await service.register_tie(code, _check_code(body.credit_code))
    reviewer = await registry.get_reviewer(session, code)
    org = await registry.get_organization(session, registered)
    found = {c: s for c, _, s in await listings.ties(session, reviewer.id)}
    return TieOut(credit_code=org.credit_code, name=org.name, source=found[org.credit_code])


@router.get("/reviewers/{code}/ties", summary="评审员的利害关系")
async def list_ties(code: str, viewer: PoolReaders, session: SessionDep) -> list[TieOut]:
    reviewer = await listings.reviewer(session, viewer, code)
    ties = await listings.ties(session, reviewer.id)
    return [TieOut(credit_code=c, name=n, source=s) for c, n, s in ties]


@router.post("/cycles/{year}/conflicts", summary="申报回避（利害关系）", status_code=201)
async def declare_conflict(
    year: Year, body: ConflictCreate, viewer: OfficeOrReviewer, service: Service
) -> Done:
    if viewer.role == Role.REVIEWER:
        if body.reviewer is not None and body.reviewer != viewer.reviewer_code:
            raise DomainError(ErrorCode.FORBIDDEN, "评审员只能为本人申报回避")
        reviewer = viewer.reviewer_code or ""
    elif body.reviewer is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "请填写评审员编号")
    else:
        reviewer = body.reviewer
    await service.declare_conflict(year, reviewer, _check_code(body.credit_code))
    return Done(message="回避已登记；如已分配评审任务，该任务已撤回")


@router.get("/cycles/{year}/assignments", summary="评审任务（评审员只见本人）")
async def assignments(year: Year, viewer: PoolReaders, session: SessionDep) -> list[AssignmentOut]:
    found = await views.assignments(session, viewer, year)
    return [AssignmentOut.model_validate(a) for a in found]
