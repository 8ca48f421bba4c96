"""One router per resource family; `ROUTERS` is the order they appear in the OpenAPI document."""

from fastapi import APIRouter

from api.routers import (
    applications,
    approvals,
    audit,
    auth,
    committee,
    cycles,
    documents,
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
    notices.router,
    documents.router,
    audit.router,
    health.router,
    public.router,
]
