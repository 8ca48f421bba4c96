"""The office's view of delivery (issue #15 item 2): each notice's deliveries with their
status, the failed ones, and the resend command (audited like every command, by the API's
audit trail)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from activities.delivery import DeliveryWaker
from db.models import Delivery
from db.repositories import deliveries
from domain.delivery import RESENDABLE, STATUS_NAMES, DeliveryStatus, notice_message_id
from domain.errors import DomainError, ErrorCode
from services.delivery_routes import current_address


async def for_notice(session: AsyncSession, notice_id: int) -> list[Delivery]:
    if not await session.run_sync(deliveries.notice_exists, notice_id):
        raise DomainError(ErrorCode.NOT_FOUND, f"通知 {notice_id} 不存在")
    return await session.run_sync(deliveries.for_notice, notice_id)


async def listed(
    session: AsyncSession, status: DeliveryStatus | None, limit: int
) -> list[Delivery]:
    return await session.run_sync(deliveries.listed, status.value if status else None, limit)


async def backlog(session: AsyncSession) -> tuple[int, dict[str, int]]:
    """The outbox entries not yet routed, then the deliveries by status.

    Read in this order, and each in one statement: the delivery routes an entry and inserts
    its deliveries in one transaction, so entries found routed have their rows in the
    counts read after. (Counted the other way round, a routing committed between the two
    reads showed neither: "nothing unrouted, nothing pending" while six mails waited.)"""
    unrouted = await session.run_sync(deliveries.unrouted)
    return unrouted, await session.run_sync(deliveries.counts)


async def resend(session: AsyncSession, delivery_id: int, sender: str) -> Delivery:
    """Queue the mail again (same Message-ID). A `no_address` row first takes the
    recipient's current address; one still without an address is refused."""
    row = await session.run_sync(deliveries.get, delivery_id)
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"投递记录 {delivery_id} 不存在")
    status = DeliveryStatus(row.status)
    if status not in RESENDABLE:
        raise DomainError(ErrorCode.NOT_RESENDABLE, f"当前状态为{STATUS_NAMES[status]}")
    if row.address is None:  # only notices lack one: a digest is made for an address
        address = await session.run_sync(current_address, row.recipient)
        if address is None or row.notice_id is None:
            raise DomainError(ErrorCode.NOT_RESENDABLE, "收件人仍未登记电子邮箱")
        row.address = address
        row.message_id = notice_message_id(row.notice_id, row.channel, address, sender)
    row.status = DeliveryStatus.PENDING.value
    row.last_error = None
    row.attempts = 0  # a deliberate resend gets the full retries again
    await session.flush()
    return row


async def wake(client: Client | None, workflow_id: str, task_queue: str, hour: int | None) -> None:
    """After the commit: the delivery workflow sends what was queued."""
    if client is not None:
        await DeliveryWaker(client, workflow_id, hour).wake(task_queue)
