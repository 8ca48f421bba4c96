"""The committee's vote entry (评委会审查表决, §4(4)): every candidate of an award with its
yes / no / abstain tally and the members present, entered by the committee's secretary;
the runoff (重新表决) among the tied candidates when the service answers that one is
needed. Officials read the page and the votes on record; only the secretary's form posts.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from api.context import Service, SessionDep
from api.routers import committee as committee_api
from api.schemas.committee import VoteCreate, VoteReplace
from domain.errors import ErrorCode
from domain.names import AWARD_NAMES, name_of
from domain.phases import Phase
from domain.types import Award
from services import listings, views
from services.accounts import Role, Viewer
from services.todo import cycle_link
from web.forms import Form, Posted, act, read_form
from web.render import render, score
from web.session import CommitteeUser, OfficialUser

router = APIRouter(include_in_schema=False)
TALLIES = (("yes", "赞成"), ("no", "反对"), ("abstain", "弃权"))
FIELDS = {
    ErrorCode.QUORUM_NOT_MET: "present",
    ErrorCode.INVALID_INPUT: "present",
    ErrorCode.TALLY_EXCEEDS_PRESENT: "ballots",
    ErrorCode.BALLOTS_INCOMPLETE: "ballots",
    ErrorCode.UNKNOWN_CANDIDATE: "ballots",
}


def votes_link(year: int, award: str | None = None) -> str:
    if not award:
        return cycle_link(year, "/votes")
    return cycle_link(year, f"/votes#{award}")


async def _page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    year: int,
    form: Form,
    award: str = "",
) -> Response:
    """`award`: the award whose form was posted (its errors and typed values shown). Which
    award owes a runoff, and among whom, is the cycle's state (`listings.pending_runoffs`,
    from the recorded votes), not the address: a reload or another browser shows it too."""
    cycle = await views.find_cycle(session, year)
    found = await listings.candidates(session, year)
    recorded = await listings.votes(session, year)
    runoffs = await listings.pending_runoffs(session, year)
    names = {c.credit_code: c.name for c in found}
    awards = []
    for code in Award:
        rows = [c for c in found if c.award == code.value]
        voting = [c for c in rows if c.outcome == "pending"]
        runoff = runoffs.get(code.value)
        if runoff:
            voting = [c for c in voting if c.credit_code in runoff]
        awards.append(
            {
                "award": code.value,
                "name": AWARD_NAMES[code],
                "candidates": rows,
                "listed": _listed(rows),
                "voting": voting,
                "runoff": bool(runoff),
                "votes": [v for v in recorded if v.award == code.value],
                "ballots": {
                    v.id: _ballots_text(v.ballots, names) for v in recorded if v.award == code.value
                },
                "form": form if award == code.value else Form(),
            }
        )
    return render(
        request,
        "committee/votes.html",
        title=f"{year}年度评委会审查表决（§4(4)）",
        cycle=cycle,
        awards=awards,
        names=names,
        year=year,
        tallies=TALLIES,
        can_vote=viewer.role == Role.COMMITTEE and cycle.phase == Phase.COMMITTEE,
        back=cycle_link(year),
    )


def _listed(rows: list[listings.Candidate]) -> Markup:
    """The candidates' rows, escaped and joined here: 1,000 rows through the template's
    loop were most of the page's time at 1,000 applications."""
    return Markup("").join(
        Markup(
            '<tr data-candidate="{0}"><td>{1}</td><td>{0}</td><td class="num">{2}</td>'
            "<td>{3}</td></tr>"
        ).format(c.credit_code, c.name, score(c.total_score), name_of(c.outcome) or "—")
        for c in rows
    )


def _ballots_text(ballots: dict[str, Any], names: dict[str, str]) -> str:
    """A recorded vote's tallies: ``name：yes/no/abstain`` by credit code, as one text."""
    return "；".join(
        f"{names.get(code, code)}：{b['yes']}/{b['no']}/{b['abstain']}"
        for code, b in sorted(ballots.items())
    )


@router.get("/console/cycles/{year}/votes")
async def votes_page(
    request: Request,
    year: int,
    viewer: OfficialUser,
    session: SessionDep,
) -> Response:
    return await _page(request, session, viewer, year, Form())


def _ballots(posted: Posted) -> dict[str, Any]:
    """The tallies typed per candidate (fields ``yes:CODE`` …); an empty box counts as 0."""
    ballots: dict[str, dict[str, str]] = {}
    for code in posted.getlist("candidates"):
        ballots[code] = {kind: posted.get(f"{kind}:{code}") or "0" for kind, _ in TALLIES}
    return ballots


@router.post("/console/cycles/{year}/votes/{award}", summary="录入评委会表决结果")
async def record_vote(
    request: Request,
    year: int,
    award: Award,
    viewer: CommitteeUser,
    service: Service,
    session: SessionDep,
) -> Response:
    """One form per award (the vote is per award, §4(4)): the award is in the path."""
    posted = await read_form(request)

    async def run() -> str:
        data: dict[str, Any] = posted.data("present", "reason")
        data["award"] = award.value
        data["ballots"] = _ballots(posted)
        if posted.get("reason") is not None:
            replaced = VoteReplace.model_validate(data)
            answer = await committee_api.replace_vote(year, replaced, viewer, service)
        else:
            data.pop("reason", None)
            body = VoteCreate.model_validate(data)
            answer = await committee_api.record_vote(year, body, viewer, service)
        return votes_link(year, award.value if answer.runoff else None)

    return await act(
        request,
        posted,
        run,
        "表决结果已录入",
        again=lambda form: _page(request, session, viewer, year, form, award.value),
        fields=FIELDS,
    )
