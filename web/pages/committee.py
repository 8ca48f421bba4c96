"""The committee's vote entry (评委会审查表决, §4(4)): every candidate of an award with its
yes / no / abstain tally and the members present, entered by the committee's secretary;
the runoff (重新表决) among the tied candidates when the service answers that one is
needed. Officials read the page and the votes on record; only the secretary's form posts.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from api.context import Service, SessionDep
from api.routers import committee as committee_api
from api.schemas.committee import VoteCreate, VoteReplace
from db.models import Vote
from domain.errors import ErrorCode
from domain.names import AWARD_NAMES, name_of
from domain.phases import Phase
from domain.types import Award
from services import listings, views
from services.accounts import Role, Viewer
from services.todo import cycle_link
from web.forms import Form, Posted, act, read_form
from web.paging import page_of
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


CANDIDATES_PAGE_SIZE = 50
"""Candidates of an award a page of the votes page lists (each award pages on its own,
``?quality=2#quality``); a vote's own page lists its tallies as many a page."""


def votes_link(year: int, award: str | None = None) -> str:
    if not award:
        return cycle_link(year, "/votes")
    return cycle_link(year, f"/votes#{award}")


def vote_link(year: int, award: str, round: int) -> str:
    return cycle_link(year, f"/votes/{award}/rounds/{round}")


def _award_href(year: int, asked: dict[str, str], award: str, number: int) -> str:
    """Page `number` of `award`'s candidates, the other awards staying on their pages."""
    query: dict[str, str | int] = {
        a.value: asked[a.value] for a in Award if a.value in asked and a.value != award
    }
    query[award] = number
    return cycle_link(year, f"/votes?{urlencode(query)}#{award}")


def latest_tallies(recorded: list[Vote]) -> dict[str, dict[str, int]]:
    """Each candidate's tallies in the award's latest result (its latest series; within it
    the latest round that counted the candidate: a runoff counts only the tied)."""
    if not recorded:
        return {}
    series = max(v.series for v in recorded)
    found: dict[str, dict[str, int]] = {}
    for v in sorted((v for v in recorded if v.series == series), key=lambda v: v.round):
        found.update(v.ballots)
    return found


def round_names(recorded: list[Vote]) -> dict[int, str]:
    """By round, what the vote was: the first of its series 表决, then 第n次重新表决."""
    names: dict[int, str] = {}
    for series in {v.series for v in recorded}:
        rounds = sorted(v.round for v in recorded if v.series == series)
        for n, round in enumerate(rounds):
            names[round] = f"第{n}次重新表决" if n else "表决"
    return names


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
    from the recorded votes), not the address: a reload or another browser shows it too.
    Each award's candidates are listed a page at a time (the award's query parameter); the
    secretary's form lists every candidate still voted on (one vote is all its ballots)."""
    cycle = await views.find_cycle(session, year)
    found = await listings.candidates(session, year)
    recorded = await listings.votes(session, year)
    runoffs = await listings.pending_runoffs(session, year)
    asked = {a.value: v for a in Award if (v := request.query_params.get(a.value))}
    can_vote = viewer.role == Role.COMMITTEE and cycle.phase == Phase.COMMITTEE
    awards = []
    for code in Award:
        rows = [c for c in found if c.award == code.value]
        voting = [c for c in rows if c.outcome == "pending"]
        runoff = runoffs.get(code.value)
        if runoff:
            voting = [c for c in voting if c.credit_code in runoff]
        votes = [v for v in recorded if v.award == code.value]
        page = page_of(
            len(rows),
            asked.get(code.value),
            CANDIDATES_PAGE_SIZE,
            partial(_award_href, year, asked, code.value),
        )
        shown = rows[page.offset : page.offset + page.limit]
        mine = form if award == code.value else Form()
        awards.append(
            {
                "award": code.value,
                "name": AWARD_NAMES[code],
                "candidates": rows,
                "page": page,
                "listed": _listed(shown, latest_tallies(votes)),
                "voting": voting,
                "entry": _entry_rows(voting, mine) if can_vote else Markup(""),
                "runoff": bool(runoff),
                "votes": votes,
                "rounds": round_names(votes),
                "form": mine,
            }
        )
    return render(
        request,
        "committee/votes.html",
        title=f"{year}年度评委会审查表决（§4(4)）",
        cycle=cycle,
        awards=awards,
        year=year,
        tallies=TALLIES,
        can_vote=can_vote,
        back=cycle_link(year),
    )


# The rows below are built with `escape` and f-strings: each value escaped, the whole then
# Markup. `Markup.format` is string.Formatter underneath, several times slower at 1,000 rows.


def _tally_cells(tally: dict[str, int] | None) -> str:
    if tally is None:
        return '<td class="num">—</td>' * len(TALLIES)
    return "".join(f'<td class="num">{escape(tally[kind])}</td>' for kind, _ in TALLIES)


def _listed_row(c: listings.Candidate, tally: dict[str, int] | None) -> str:
    code = escape(c.credit_code)
    return (
        f'<tr data-candidate="{code}"><td>{escape(c.name)}</td><td>{code}</td>'
        f'<td class="num">{score(c.total_score)}</td>'
        f"<td>{escape(name_of(c.outcome) or '—')}</td>{_tally_cells(tally)}</tr>"
    )


def _listed(rows: list[listings.Candidate], tallies: dict[str, dict[str, int]]) -> Markup:
    """A page of the candidates' rows with their latest tallies, escaped and joined here
    (the template's loop over rows was most of the page's time)."""
    return Markup("".join(_listed_row(c, tallies.get(c.credit_code)) for c in rows))


def _entry_row(c: listings.Candidate, form: Form) -> str:
    code, name = escape(c.credit_code), escape(c.name)
    cells = []
    for kind, label in TALLIES:
        field = f"{kind}:{c.credit_code}"
        cells.append(
            f'<td class="num"><input type="number" min="0" max="1000" name="{escape(field)}"'
            f' value="{escape(form.value(field))}" aria-label="{name} {label}票"'
            ' class="tally"></td>'
        )
    hidden = f'<input type="hidden" name="candidates" value="{code}">'
    return f"<tr><td>{hidden}{name}</td>{''.join(cells)}</tr>"


def _entry_rows(voting: list[listings.Candidate], form: Form) -> Markup:
    """The secretary's rows, one per candidate voted on, built here: at 1,000 candidates the
    template's nested loop was the page. A refused post shows the tallies as typed."""
    return Markup("".join(_entry_row(c, form) for c in voting))


@router.get("/console/cycles/{year}/votes")
async def votes_page(
    request: Request,
    year: int,
    viewer: OfficialUser,
    session: SessionDep,
) -> Response:
    return await _page(request, session, viewer, year, Form())


VOTE_PAGE_SIZE = 100
"""A vote's tallies a page of its own page lists."""


@router.get("/console/cycles/{year}/votes/{award}/rounds/{round}")
async def vote_page(
    request: Request,
    year: int,
    award: Award,
    round: int,
    viewer: OfficialUser,
    session: SessionDep,
    page: str = "1",
) -> Response:
    """One recorded vote: its members present, reason and each candidate's tallies, by
    credit code, a page at a time."""
    cycle = await views.find_cycle(session, year)
    recorded = [v for v in await listings.votes(session, year) if v.award == award.value]
    vote = await listings.vote(session, year, award.value, round)
    codes = sorted(vote.ballots)
    here = vote_link(year, award.value, round)
    shown = page_of(len(codes), page, VOTE_PAGE_SIZE, lambda n: f"{here}?page={n}")
    listed = codes[shown.offset : shown.offset + shown.limit]
    names = await listings.organization_names(session, listed)
    award_name = AWARD_NAMES[award]
    return render(
        request,
        "committee/vote.html",
        title=f"{year}年度{award_name}第{vote.series}次结果·{round_names(recorded)[round]}",
        cycle=cycle,
        vote=vote,
        award=award.value,
        award_name=award_name,
        rows=[(code, names.get(code, code), vote.ballots[code]) for code in listed],
        tallies=TALLIES,
        page=shown,
        year=year,
        back=votes_link(year, award.value),
    )


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
