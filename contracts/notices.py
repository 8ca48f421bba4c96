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
    listing: str | None = None
    """A notice whose body names a whole list (`workflows.notice_texts.CANDIDATE_LIST`)
    comes without its body: the write that publishes it renders the body from the rows it
    wrote, so no payload grows with the list. None: the body is the text to publish."""


class NoticeBatch(Contract):
    notices: list[NoticeDraft]
