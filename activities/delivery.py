"""The delivery's activities (issue #15 item 2): route the outbox, prepare the digests,
send one mail — each once.

Sending one delivery is three steps, so a crash can be told from a success:

1. one transaction moves the row to ``sending`` (counting the attempt) and reads what to
   send; a row already ``sent`` (or ``failed``, ``no_address``) is left alone;
2. the SMTP transaction, with the row's stable Message-ID;
3. one transaction records ``sent`` — or, when the relay said no, ``pending`` again (a
   4xx: Temporal retries with backoff) or ``failed`` (a 5xx, or the last attempt).

A row found ``sending`` at step 1 belongs to an attempt that stopped between 1 and 3: if
it stopped after the relay took the mail, sending again delivers it twice. That is the
at-least-once window (README "Delivery"); it is counted in ``interrupted``, and the copy
carries the same Message-ID, so the office and the receiving mail system can tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy.orm import Session
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from activities.mailer import MailConfig, NotAccepted, PermanentRefusal, build_message, send
from contracts.delivery import (
    DeliveryIds,
    DeliveryInput,
    DeliveryRef,
    DigestRequest,
    RouteRequest,
    SendOutcome,
)
from db.models import Notice
from db.repositories import deliveries
from db.session import Database
from domain.delivery import DeliveryStatus
from services.attachments import Attachment, attachments_for
from services.delivery_routes import prepare_digests, route_outbox

log = structlog.get_logger(__name__)

SEND_ATTEMPTS = 6
"""Attempts of one mail (the send activity's retry policy); after the last it is `failed`."""
ATTEMPT_CEILING = 20
"""Attempts counted on a row across resends and interruptions before it is given up."""

S = DeliveryStatus


@dataclass(frozen=True)
class Outgoing:
    address: str
    subject: str
    body: str
    message_id: str
    attachments: list[Attachment]


class DeliveryActivities:
    def __init__(self, db: Database, mail: MailConfig | None) -> None:
        self._db = db
        self._mail = mail

    def _config(self) -> MailConfig:
        if self._mail is None:
            raise ApplicationError("未配置 SMTP（QAWARD_SMTP_HOST）", non_retryable=True)
        return self._mail

    @activity.defn(name="route-deliveries")
    async def route_deliveries(self, request: RouteRequest) -> DeliveryIds:
        """Route a batch of the outbox into deliveries; return those to send now."""
        sender = self._config().sender
        return await self._db.run(_route, request.limit, sender)

    @activity.defn(name="prepare-digests")
    async def prepare_digests(self, request: DigestRequest) -> int:
        return await self._db.run(prepare_digests, request.day, request.at, self._config().sender)

    @activity.defn(name="send-delivery")
    async def send_delivery(self, ref: DeliveryRef) -> SendOutcome:
        config = self._config()
        claimed = await self._db.run(_claim, ref.id)
        if isinstance(claimed, str):
            return SendOutcome(status=claimed)
        message = build_message(
            config,
            to=claimed.address,
            subject=claimed.subject,
            body=claimed.body,
            message_id=claimed.message_id,
            date=datetime.now(UTC),
            attachments=claimed.attachments,
        )
        last = activity.info().attempt >= SEND_ATTEMPTS
        try:
            await send(config, message)
        except PermanentRefusal as error:
            return await self._finish(ref.id, S.FAILED, f"收件服务器拒收：{error}")
        except NotAccepted as error:
            if last:
                return await self._finish(
                    ref.id, S.FAILED, f"重试{SEND_ATTEMPTS}次仍未发送：{error}"
                )
            await self._db.run(deliveries.finish, ref.id, S.PENDING.value, str(error), None)
            raise
        except Exception as error:
            if last:  # unknown whether the relay took it; the office decides on a resend
                text = f"发送结果不明（可能已送达）：{error!r}"
                return await self._finish(ref.id, S.FAILED, text)
            raise
        outcome = await self._finish(ref.id, S.SENT, None)
        log.info("邮件已发送", delivery=ref.id, message_id=claimed.message_id)
        return outcome

    async def _finish(self, delivery_id: int, status: S, error: str | None) -> SendOutcome:
        at = datetime.now(UTC) if status == S.SENT else None
        await self._db.run(deliveries.finish, delivery_id, status.value, error, at)
        return SendOutcome(status=status.value)


def _route(session: Session, limit: int, sender: str) -> DeliveryIds:
    route_outbox(session, limit, sender)
    return DeliveryIds(ids=deliveries.pending_ids(session, limit))


def _claim(session: Session, delivery_id: int) -> Outgoing | str:
    """Step 1: the row moved to `sending`, and what to send; or the status that says
    there is nothing to send."""
    row = deliveries.get(session, delivery_id)
    if row is None:
        return "missing"
    if row.status not in (S.PENDING, S.SENDING) or row.address is None:
        return row.status
    if row.attempts >= ATTEMPT_CEILING:
        text = f"已尝试{row.attempts}次，不再自动重试"
        deliveries.finish(session, row.id, S.FAILED.value, text, None)
        return S.FAILED.value
    if not deliveries.claim(session, row.id, row.status):
        return "claimed"
    attachments: list[Attachment] = []
    if row.notice_id is not None:
        notice = session.get(Notice, row.notice_id)
        if notice is not None:
            attachments = attachments_for(session, notice)
    return Outgoing(row.address, row.subject, row.body, row.message_id or "", attachments)


class DeliveryWaker:
    """Wakes the delivery workflow (signal-with-start) after notices are committed.

    Called by the activities that write notices, after their transaction; a failure to
    wake is logged and never fails their write (the delivery catches up at its next
    wake-up, at the latest at the worker's next start or the next digest hour).
    """

    def __init__(
        self,
        client: Client,
        workflow_id: str,
        digest_hour: int | None,
        task_queue: str | None = None,
    ) -> None:
        self._client = client
        self.workflow_id = workflow_id
        self._digest_hour = digest_hour
        self._task_queue = task_queue

    async def wake(self, task_queue: str) -> None:
        """`task_queue`: the caller's, used unless the delivery has its own queue."""
        # Imported here: the workflow module imports this one (its activities).
        from workflows.delivery import DeliveryWorkflow, start_options

        try:
            await self._client.start_workflow(
                DeliveryWorkflow.run,
                DeliveryInput(digest_hour=self._digest_hour),
                **start_options(self.workflow_id, self._task_queue or task_queue),
            )
        except Exception:
            log.warning("无法唤醒通知投递流程", workflow_id=self.workflow_id, exc_info=True)
