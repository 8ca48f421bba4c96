"""The audit trail for the supervisor (监督组): entries, checkpoints and the chain check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import AsSupervisor
from api.context import Ctx, SessionDep, Sessions
from api.schemas.system import AuditEntryOut, SignedCheckpointOut, VerificationOut
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


@router.get("/audit/verify", summary="校验审计日志HMAC链与签名检查点")
async def verify(viewer: AsSupervisor, ctx: Ctx, session: SessionDep) -> VerificationOut:
    result = await audit.verify(session, audit.Seal.of(ctx.settings))
    return VerificationOut.model_validate(result)


@router.post("/audit/checkpoints", status_code=201, summary="立即为审计日志写入签名检查点")
async def checkpoint(viewer: AsSupervisor, ctx: Ctx, sessions: Sessions) -> SignedCheckpointOut:
    made = await audit.checkpoint(sessions, audit.Seal.of(ctx.settings), ctx.clock())
    return SignedCheckpointOut.model_validate(made)
