"""The console's pages, one router per module; `PAGES` is the order they are mounted in."""

from fastapi import APIRouter

from web.pages import (
    applications,
    approval,
    auth,
    committee,
    cycles,
    home,
    honors,
    insight,
    portal,
    publicity,
    records,
    registry,
    rehearsal,
    review,
    shortlist,
)

PAGES: list[APIRouter] = [
    auth.router,
    home.router,
    cycles.router,
    registry.router,
    applications.router,
    review.router,
    shortlist.router,
    records.router,
    committee.router,
    publicity.router,
    approval.router,
    honors.router,
    insight.router,
    rehearsal.router,
    portal.router,
]
