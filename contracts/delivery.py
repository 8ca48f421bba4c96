"""Payloads of the delivery workflow and its activities (issue #15)."""

from __future__ import annotations

from datetime import date, datetime

from contracts.base import Contract


class DeliveryInput(Contract):
    digest_hour: int | None = None
    """Beijing hour of the daily digest; None: no digest."""
    last_digest_day: date | None = None
    """The last day whose digests were prepared (carried over continue-as-new)."""
    batch: int = 50


class RouteRequest(Contract):
    limit: int


class DeliveryIds(Contract):
    ids: list[int]
    """Deliveries to send now (pending, or found `sending` after an interrupted attempt)."""


class DeliveryRef(Contract):
    id: int


class SendOutcome(Contract):
    status: str
    """The row's status after this attempt: sent, failed, … or what another attempt left."""


class DigestRequest(Contract):
    day: date
    at: datetime
