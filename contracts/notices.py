"""Notices as the workflows draft them (DESIGN.md §3.5): written once each, by key."""

from __future__ import annotations

from datetime import date, datetime

from contracts.base import Contract


class NoticeDraft(Contract):
    key: str
    kind: str
    audience: str
    on: date
    at: datetime
    title: str
    body: str
    credit_code: str | None = None
    reviewer: str | None = None
    cycle_year: int | None = None


class NoticeBatch(Contract):
    notices: list[NoticeDraft]
