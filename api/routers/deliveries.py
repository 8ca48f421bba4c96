"""Delivery status (投递状态) for the office, and resend (issue #15 item 2)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query

from api.auth import AsOffice, OfficeOrSupervisor
from api.context import Ctx, SessionDep
from api.routers.params import RowId
from api.schemas.delivery import DeliveryList, DeliveryOut
from domain.delivery import DeliveryStatus
from services import delivery

router = APIRouter(tags=["通知投递"])


@router.get("/deliveries", summary="通知投递记录（可按状态筛选）")
async def list_deliveries(
    viewer: OfficeOrSupervisor,
    session: SessionDep,
    status: Annotated[DeliveryStatus | None, Query(description="只看某一状态")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="最多条数")] = 200,
) -> DeliveryList:
    unrouted, counts = await delivery.backlog(session)
    rows = await delivery.listed(session, status, limit)
    return DeliveryList(
        counts=counts,
        unrouted=unrouted,
        deliveries=[DeliveryOut.model_validate(r) for r in rows],
    )


@router.get("/notices/{notice_id}/deliveries", summary="一条通知的投递状态（每个收件人一条）")
async def notice_deliveries(
    notice_id: RowId, viewer: OfficeOrSupervisor, session: SessionDep
) -> list[DeliveryOut]:
    return [DeliveryOut.model_validate(r) for r in await delivery.for_notice(session, notice_id)]


@router.post("/deliveries/{delivery_id}/resend", summary="重发通知邮件")
async def resend(
    delivery_id: RowId, viewer: AsOffice, ctx: Ctx, session: SessionDep, after: BackgroundTasks
) -> DeliveryOut:
    """Failed, no-address (once the recipient has an e-mail) or sent deliveries; the mail
    keeps its Message-ID. Queued in this request's transaction; the delivery workflow is
    woken after the commit (a background task runs once the response is sent)."""
    row = await delivery.resend(session, delivery_id, ctx.settings.smtp_sender)
    settings = ctx.settings
    if settings.smtp_host:
        hour = settings.digest_hour
        after.add_task(delivery.wake, ctx.client, ctx.delivery_workflow_id, ctx.task_queue, hour)
    return DeliveryOut.model_validate(row)
