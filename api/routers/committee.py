"""The committee (县评委会): candidates, vote results signalled in by its secretary (§4(4))."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AsCommittee, Officials
from api.context import Service, SessionDep
from api.routers.params import Year
from api.schemas.committee import CandidateOut, VoteCreate, VoteOut, VoteReplace, VoteResultOut
from domain.phases import Stage
from services import irregularities, listings, review_quality
from services.views import find_cycle

router = APIRouter(tags=["评委会表决"])


@router.get("/cycles/{year}/candidates", summary="候选名单（按总分排序）")
async def candidates(year: Year, viewer: Officials, session: SessionDep) -> list[CandidateOut]:
    found = await listings.candidates(session, year)
    spreads = await review_quality.spreads(session, await find_cycle(session, year))
    concerns = irregularities.open_counts(await irregularities.open_irregularities(session, year))
    out = []
    for c in found:
        document = spreads.get((c.credit_code, Stage.DOCUMENT))
        site = spreads.get((c.credit_code, Stage.SITE))
        out.append(
            CandidateOut(
                credit_code=c.credit_code,
                name=c.name,
                award=c.award,
                total_score=c.total_score,
                outcome=c.outcome,
                document_spread=document.total_spread if document else None,
                site_spread=site.total_spread if site else None,
                spread_flagged=any(s is not None and s.flagged for s in (document, site)),
                open_irregularities=concerns.get(c.credit_code, 0),
            )
        )
    return out


@router.post("/cycles/{year}/votes", summary="录入评委会表决结果")
async def record_vote(
    year: Year, body: VoteCreate, viewer: AsCommittee, service: Service
) -> VoteResultOut:
    ballots = {code.strip().upper(): ballot for code, ballot in body.ballots.items()}
    runoff = await service.record_vote(year, body.award, body.present, ballots)
    return VoteResultOut(runoff=runoff)


@router.post("/cycles/{year}/votes/replacement", summary="替换某奖项的表决结果（公示前）")
async def replace_vote(
    year: Year, body: VoteReplace, viewer: AsCommittee, service: Service
) -> VoteResultOut:
    """§4(4): the committee's secretary corrects an award's result, with a reason, until the
    publicity list is published; the earlier result stays on record."""
    ballots = {code.strip().upper(): ballot for code, ballot in body.ballots.items()}
    runoff = await service.record_vote(
        year, body.award, body.present, ballots, replaces_reason=body.reason
    )
    return VoteResultOut(runoff=runoff)


@router.get("/cycles/{year}/votes", summary="表决记录")
async def list_votes(year: Year, viewer: Officials, session: SessionDep) -> list[VoteOut]:
    return [VoteOut.model_validate(v) for v in await listings.votes(session, year)]
