"""Objections during publicity (社会公示, §4(5)): investigations and committee decisions."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import AsCommittee, AsOffice, ObjectionReaders
from api.context import Service, SessionDep
from api.routers.params import RowId, Year
from api.schemas.base import Done
from api.schemas.committee import CommitteeDecisionCreate, InvestigationCreate, ObjectionOut
from services import listings

router = APIRouter(tags=["公示与异议"])


@router.get("/cycles/{year}/objections", summary="异议列表")
async def list_objections(
    year: Year, viewer: ObjectionReaders, session: SessionDep
) -> list[ObjectionOut]:
    found = await listings.objections(session, year)
    return [
        ObjectionOut(
            number=o.number,
            credit_code=org.credit_code,
            organization=org.name,
            name=o.name,
            contact=o.contact,
            content=o.content,
            received_at=o.received_at,
            finding=o.finding,
            report=o.report,
            decision=o.decision,
        )
        for o, org in found
    ]


@router.post("/cycles/{year}/objections/{number}/investigation", summary="录入异议调查结论")
async def investigate(
    year: Year, number: RowId, body: InvestigationCreate, viewer: AsOffice, service: Service
) -> Done:
    await service.investigate(year, number, body.finding, body.report)
    return Done(message="调查结论已记录")


@router.post("/cycles/{year}/committee-decisions", summary="评委会对属实异议作出决定")
async def committee_decision(
    year: Year, body: CommitteeDecisionCreate, viewer: AsCommittee, service: Service
) -> Done:
    await service.committee_decision(year, body.credit_code.strip().upper(), body.remove)
    return Done(message="已撤下该候选组织" if body.remove else "维持该候选组织")
