# ruff: noqa: RUF001, RUF002, RUF003, RUF100 -- Chinese text uses full-width punctuation.
"""Supervision (监督管理): the reviewer pool's appointments, training and discipline
(§2(3)3, §6(7)) and the supervision group's irregularity records (§6(1))."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile

from api.auth import AsOffice, AsSupervisor, OfficeOrSupervisor, require
from api.context import Ctx, Service, SessionDep
from api.routers.params import RowId, Year
from api.schemas.supervision import (
    AppointmentCreate,
    CorrectiveActionCreate,
    DisciplineCreate,
    DisciplineDone,
    DisciplineOut,
    IrregularityClose,
    IrregularityCreate,
    IrregularityOut,
    PoolEntryOut,
    TermOut,
    TrainingCreate,
    TrainingOut,
    WorkloadOut,
)
from services import irregularities, supervision
from services.accounts import Role, Viewer
from services.materials import PdfUpload
from services.supervision import PoolEntry

router = APIRouter(tags=["监督管理"])
IrregularityReaders = Annotated[
    Viewer, Depends(require(Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE))
]
"""Never applicants, reviewers or the public (§6(1) is the supervision's own record)."""
ONE = "/cycles/{year}/irregularities/{number}"


def _entry(e: PoolEntry) -> PoolEntryOut:
    return PoolEntryOut(
        code=e.reviewer.code,
        name=e.reviewer.name,
        industries=list(e.reviewer.industries),
        status=e.status,
        terms=[TermOut.model_validate(t) for t in e.terms],
        trainings=[TrainingOut.model_validate(t) for t in e.trainings],
        discipline=[DisciplineOut.model_validate(d) for d in e.discipline],
    )


@router.get("/reviewer-pool", summary="评审员专家库：聘任、培训、状态（§2(3)3）")
async def pool(viewer: OfficeOrSupervisor, ctx: Ctx, session: SessionDep) -> list[PoolEntryOut]:
    return [_entry(e) for e in await supervision.pool(session, ctx.today())]


@router.get("/reviewer-pool/{code}", summary="评审员的聘任、培训与纪律记录")
async def pool_entry(
    code: str, viewer: OfficeOrSupervisor, ctx: Ctx, session: SessionDep
) -> PoolEntryOut:
    [entry] = await supervision.pool(session, ctx.today(), code)
    return _entry(entry)


@router.post("/reviewers/{code}/appointments", summary="聘任评审员（聘任期限）", status_code=201)
async def appoint(
    code: str, body: AppointmentCreate, viewer: AsOffice, ctx: Ctx, session: SessionDep
) -> PoolEntryOut:
    await supervision.appoint(session, code, body.term_from, body.term_until, body.note)
    [entry] = await supervision.pool(session, ctx.today(), code)
    return _entry(entry)


@router.post("/reviewers/{code}/trainings", summary="登记评审员培训", status_code=201)
async def add_training(
    code: str, body: TrainingCreate, viewer: AsOffice, ctx: Ctx, session: SessionDep
) -> PoolEntryOut:
    await supervision.add_training(session, code, body.on, body.title, body.hours)
    [entry] = await supervision.pool(session, ctx.today(), code)
    return _entry(entry)


@router.post("/reviewers/{code}/discipline", summary="批评或取消评审资格（§6(7)）", status_code=201)
async def discipline(
    code: str, body: DisciplineCreate, viewer: AsOffice, service: Service
) -> DisciplineDone:
    """A disqualification withdraws the reviewer from every open panel of every open cycle
    (scores dropped; the office is told to replace them), as a declared conflict does."""
    years = await supervision.record_discipline(
        service, code, body.kind, body.reason, body.on, viewer.username
    )
    if body.kind == "criticism":
        return DisciplineDone(message="批评已记录（§6(7)）", cycles=[])
    return DisciplineDone(
        message="已取消评审资格（§6(7)）；进行中的评审任务已撤回，请另行安排评审员",
        cycles=years,
    )


@router.get("/cycles/{year}/reviewer-workload", summary="本届评审员工作量")
async def workload(
    year: Year, viewer: OfficeOrSupervisor, session: SessionDep
) -> list[WorkloadOut]:
    counts: dict[str, dict[str, int]] = {}
    for reviewer, _, stage, withdrawn, scored in await supervision.workload(session, year):
        row = counts.setdefault(
            reviewer,
            {"seats": 0, "scored": 0, "withdrawn": 0, "document": 0, "site": 0},
        )
        if withdrawn:
            row["withdrawn"] += 1
            continue
        row["seats"] += 1
        row[stage] += 1
        row["scored"] += int(scored)
    return [WorkloadOut(reviewer=r, **c) for r, c in counts.items()]


# --- irregularities (§6(1)) ------------------------------------------------------------------


@router.post(
    "/cycles/{year}/irregularities", summary="监督组记录违规情况（§6(1)）", status_code=201
)
async def record_irregularity(
    year: Year, body: IrregularityCreate, viewer: AsSupervisor, ctx: Ctx, session: SessionDep
) -> IrregularityOut:
    row = await irregularities.record_irregularity(
        session,
        year,
        subject_kind=body.subject_kind,
        subject=body.subject.strip().upper()
        if body.subject_kind in ("application", "panel")
        else body.subject.strip(),
        description=body.description,
        occurred_on=body.occurred_on,
        evidence=body.evidence,
        by=viewer.username,
        now=ctx.clock(),
    )
    return IrregularityOut.model_validate(row)


@router.get("/cycles/{year}/irregularities", summary="违规记录（监督组、评审办、评委会）")
async def list_irregularities(
    year: Year, viewer: IrregularityReaders, session: SessionDep
) -> list[IrregularityOut]:
    return [
        IrregularityOut.model_validate(i)
        for i in await irregularities.irregularities(session, year)
    ]


@router.put(ONE + "/evidence", summary="上传违规证据（PDF）")
async def upload_evidence(
    year: Year,
    number: RowId,
    viewer: AsSupervisor,
    ctx: Ctx,
    session: SessionDep,
    file: UploadFile = File(description="PDF文件"),  # noqa: B008 - FastAPI's declaration style
) -> IrregularityOut:
    row = await irregularities.irregularity(session, year, number)
    upload = PdfUpload(ctx.materials_root, file.read, ctx.settings.max_material_bytes)
    row = await irregularities.attach_evidence(session, row, upload)
    return IrregularityOut.model_validate(row)


@router.post(ONE + "/corrective-action", summary="录入纠正措施（县评审办或监督组，§6(1)）")
async def corrective_action(
    year: Year,
    number: RowId,
    body: CorrectiveActionCreate,
    viewer: OfficeOrSupervisor,
    ctx: Ctx,
    session: SessionDep,
) -> IrregularityOut:
    row = await irregularities.advance(session, year, number, "corrected", body.action, ctx.clock())
    return IrregularityOut.model_validate(row)


@router.post(ONE + "/close", summary="监督组关闭违规记录")
async def close_irregularity(
    year: Year,
    number: RowId,
    body: IrregularityClose,
    viewer: AsSupervisor,
    ctx: Ctx,
    session: SessionDep,
) -> IrregularityOut:
    row = await irregularities.advance(session, year, number, "closed", body.note, ctx.clock())
    return IrregularityOut.model_validate(row)
