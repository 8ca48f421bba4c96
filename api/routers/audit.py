"""The audit trail for the supervisor (监督组): entries and the hash-chain check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import AsSupervisor
from api.context import SessionDep
from api.schemas.system import AuditEntryOut, VerificationOut
from services import audit

router = APIRouter(tags=["审计"])


@router.get("/audit", summary="审计日志（新的在前）")
async def audit_entries(
    viewer: AsSupervisor,
    session: SessionDep,
    before_id: Annotated[
        int | None, Query(ge=1, le=2_147_483_647, description="只看此编号之前的记录")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditEntryOut]:
    found = await audit.entries(session, before_id=before_id, limit=limit)
    return [AuditEntryOut.model_validate(e) for e in found]


@router.get("/audit/verify", summary="校验审计日志哈希链")
async def verify(viewer: AsSupervisor, session: SessionDep) -> VerificationOut:
    result = await audit.verify(session)
    return VerificationOut.model_validate(result)
