"""One router per resource family; `ROUTERS` is the order they appear in the OpenAPI document."""

from fastapi import APIRouter

from api.routers import (
    applications,
    approvals,
    audit,
    auth,
    committee,
    cycles,
    health,
    honors,
    materials,
    notices,
    organizations,
    panels,
    public,
    publicity,
    reviewers,
    rubric,
    scenarios,
    timelines,
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
    timelines.router,
    scenarios.router,
    notices.router,
    audit.router,
    health.router,
    public.router,
]
