"""The health check's one statement."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session


def ping(session: Session) -> None:
    """Raises when the database cannot answer."""
    session.execute(select(1))
