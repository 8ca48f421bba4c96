"""The health checks' statements: the database answers, and how much delivery waits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session


def ping(session: Session) -> None:
    """Raises when the database cannot answer."""
    session.execute(select(1))


def delivery_backlog(session: Session) -> int | None:
    """HOOK for e-mail delivery (issue #17 item 5): the number of messages waiting to be
    delivered, or ``None`` while the service has no delivery table. ``/health/ready``
    reports it and is not ready above ``QAWARD_READY_MAX_DELIVERY_BACKLOG``. The delivery
    module replaces this body with a count of its undelivered rows."""
    del session
    return None
