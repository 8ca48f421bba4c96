"""One router per resource family; `ROUTERS` is the order they appear in the OpenAPI document."""

from fastapi import APIRouter

from api.routers import (
    applications,
    approvals,
    audit,
    auth,
    committee,
    cycles,
    follow_ups,
    health,
    honors,
    materials,
    notices,
    organizations,
    panels,
    public,
    publicity,
    review_quality,
    reviewers,
    rubric,
    supervision,
)

ROUTERS: list[APIRouter] = [
    auth.router,
    organizations.router,
    cycles.router,
    applications.router,
    materials.router,
    reviewers.router,
    panels.router,
    rubric.router,
    committee.router,
    publicity.router,
    approvals.router,
    honors.router,
    supervision.router,
    review_quality.router,
    follow_ups.router,
    notices.router,
    audit.router,
    health.router,
    public.router,
]
