"""Organizations (申报组织) the office registers, and their dated records (E5, E7)."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AsOffice, Officials, OfficialsOrApplicant, OwnFileReaders
from api.context import SessionDep
from api.schemas.organizations import OrganizationIn, OrganizationOut, RecordOut
from domain.credit_code import is_valid_credit_code
from domain.errors import DomainError, ErrorCode
from services import listings, registry
from services.schemas import OrganizationCreate, RecordCreate

router = APIRouter(tags=["组织"])


@router.post("/organizations", summary="登记或更新组织信息", status_code=201)
async def register(body: OrganizationIn, viewer: AsOffice, session: SessionDep) -> OrganizationOut:
    code = body.credit_code.strip().upper()
    if not is_valid_credit_code(code):
        raise DomainError(ErrorCode.INVALID_CREDIT_CODE, body.credit_code)
    data = OrganizationCreate.model_validate(body.model_dump() | {"credit_code": code})
    org = await registry.register_organization(session, data)
    return OrganizationOut.model_validate(org)


@router.get("/organizations", summary="组织列表")
async def list_organizations(viewer: Officials, session: SessionDep) -> list[OrganizationOut]:
    return [OrganizationOut.model_validate(o) for o in await listings.organizations(session)]


@router.get("/organizations/{credit_code}", summary="组织详情")
async def get_organization(
    credit_code: str, viewer: OfficialsOrApplicant, session: SessionDep
) -> OrganizationOut:
    return OrganizationOut.model_validate(await listings.organization(session, viewer, credit_code))


@router.post(
    "/organizations/{credit_code}/records",
    summary="登记组织的检查、事故、投诉或信用记录",
    status_code=201,
)
async def add_record(
    credit_code: str, body: RecordCreate, viewer: AsOffice, session: SessionDep
) -> RecordOut:
    org = await registry.get_organization(session, credit_code)
    await registry.add_record(session, org, body)
    return RecordOut(on=body.on, kind=body.kind.value, note=body.note)


@router.get("/organizations/{credit_code}/records", summary="组织的检查、事故与信用记录")
async def list_records(
    credit_code: str, viewer: OwnFileReaders, session: SessionDep
) -> list[RecordOut]:
    org = await listings.organization(session, viewer, credit_code)
    return [RecordOut.model_validate(r) for r in await listings.records(session, org)]
