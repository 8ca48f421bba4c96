"""The county government's approval (县政府审定批准, §4(6)): the list after publicity with a
strike box per organization; the government's account records its decision, the office
follows it on the same page (read only), and the award bulletin follows from the workflow."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Service, SessionDep
from api.routers import approvals as approvals_api
from api.schemas.committee import ApprovalCreate
from domain.errors import DomainError, ErrorCode
from domain.phases import Outcome, Phase
from services import listings, views
from services.accounts import Role, Viewer
from services.todo import cycle_link
from web.forms import Form, act, read_form
from web.render import render
from web.session import GovernmentUser, OfficialUser

router = APIRouter(include_in_schema=False)
SET_ASIDE = (Outcome.NOT_APPROVED, Outcome.REMOVED_AFTER_PUBLICITY)
"""Taken off the published list: by the committee after an objection, or by the government."""


async def _page(
    request: Request, session: SessionDep, viewer: Viewer, year: int, form: Form
) -> Response:
    cycle = await views.find_cycle(session, year)
    try:
        published: listings.PublishedList | None = await listings.publicity_list(session, year)
    except DomainError:
        published = None
    candidates = await listings.candidates(session, year)
    outcomes = {c.credit_code: c.outcome for c in candidates}
    listed = {o.credit_code for o in published.organizations} if published else set()
    struck = [c for c in candidates if c.outcome in SET_ASIDE and c.credit_code not in listed]
    return render(
        request,
        "approval/approval.html",
        title=f"{year}年度县政府审定（§4(6)）",
        cycle=cycle,
        published=published,
        outcomes=outcomes,
        struck=struck,
        form=form,
        year=year,
        can_approve=viewer.role == Role.GOVERNMENT and cycle.phase == Phase.APPROVAL,
        back=cycle_link(year),
    )


@router.get("/console/cycles/{year}/approval")
async def approval_page(
    request: Request, year: int, viewer: OfficialUser, session: SessionDep
) -> Response:
    return await _page(request, session, viewer, year, Form())


@router.post("/console/cycles/{year}/approval", summary="县政府审定批准授奖名单")
async def approve(
    request: Request, year: int, viewer: GovernmentUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = ApprovalCreate(strike=posted.getlist("strike"))
        await approvals_api.approve(year, body, viewer, service)
        return "/console/honors"

    return await act(
        request,
        posted,
        run,
        "县政府审定结果已记录，获奖名单已通报",
        again=lambda form: _page(request, session, viewer, year, form),
        fields={ErrorCode.UNKNOWN_CANDIDATE: "strike"},
    )
