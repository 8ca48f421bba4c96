"""Applications (申报): applying, the list with filters, one application with everything
its reader may see, materials, department findings and the applicant's site-report
confirmation. Reads go through `services.views` with the viewer (the API's confidentiality);
the fields shown are the API's `application_out` for that viewer."""

from __future__ import annotations

from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import Response

from api.context import Ctx, Service, SessionDep
from api.routers import applications as application_api
from api.routers import documents as document_api
from api.routers import materials as material_api
from api.schemas.applications import ApplicationCreate, FindingCreate
from api.schemas.documents import SiteReportConfirm
from documents.kinds import Kind
from domain.departments import DEPARTMENT_NAMES
from domain.eligibility import ELIGIBILITY_REASONS
from domain.errors import MESSAGES, DomainError, ErrorCode
from domain.names import AWARD_NAMES, OUTCOME_NAMES
from domain.phases import Stage
from services import documents, materials, views
from services.accounts import OFFICIALS, Role, Viewer
from services.eligibility import preliminary_failures
from services.todo import application_link, cycle_link
from web.forms import Form, act, read_form
from web.pages import insight
from web.paging import page_of, requested
from web.render import render
from web.session import ApplicantUser, OfficeOrApplicantUser, OfficeUser, WebUser, gate

router = APIRouter(include_in_schema=False)

AWARDS = [(a.value, n) for a, n in AWARD_NAMES.items()]
OUTCOMES = [(o.value, n) for o, n in OUTCOME_NAMES.items()]
DEPARTMENTS = [(d.value, n) for d, n in DEPARTMENT_NAMES.items()]
MATERIAL_READERS = (Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE, Role.REVIEWER, Role.APPLICANT)
"""Who downloads materials: the API's `MaterialReaders` (never the government)."""
REASONS = [(c.value, f"{MESSAGES[c]}") for c in [*sorted(ELIGIBILITY_REASONS), ErrorCode.OTHER]]


async def _apply_page(request: Request, year: int, form: Form) -> Response:
    return render(
        request, "apply.html", title=f"提交{year}年度申报", year=year, form=form, awards=AWARDS
    )


@router.get("/console/cycles/{year}/apply")
async def apply_form(request: Request, year: int, viewer: OfficeOrApplicantUser) -> Response:
    return await _apply_page(request, year, Form(values={"award": "quality"}))


@router.post("/console/cycles/{year}/apply", summary="提交申报")
async def apply(
    request: Request,
    year: int,
    viewer: OfficeOrApplicantUser,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = ApplicationCreate.model_validate(posted.data("award", "credit_code"))
        out = await application_api.apply(year, body, viewer, service, session)
        return application_link(year, out.credit_code)

    return await act(
        request,
        posted,
        run,
        "申报已提交，请上传申报材料",
        again=lambda form: _apply_page(request, year, form),
        fields={
            ErrorCode.DUPLICATE_APPLICATION: "award",
            ErrorCode.DEADLINE_PASSED: "award",
            ErrorCode.INVALID_CREDIT_CODE: "credit_code",
            ErrorCode.UNKNOWN_ORGANIZATION: "credit_code",
        },
    )


PAGE_SIZE = 50
"""Rows of the applications list a page shows (a clerk pages through 1,000 with filters)."""


async def _listed(
    session: SessionDep, viewer: Viewer, year: int, filters: dict[str, str], number: int
) -> views.Listed:
    return await views.listed(
        session,
        viewer,
        year,
        award=filters["award"],
        outcome=filters["outcome"],
        q=filters["q"],
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )


def _page_href(year: int, filters: dict[str, str], page: int) -> str:
    query = urlencode({**{k: v for k, v in filters.items() if v}, "page": page})
    return f"/console/cycles/{year}/applications?{query}"


@router.get("/console/cycles/{year}/applications")
async def application_list(
    request: Request,
    year: int,
    viewer: WebUser,
    session: SessionDep,
    award: str = "",
    outcome: str = "",
    q: str = "",
    page: str = "1",
) -> Response:
    cycle = await views.find_cycle(session, year)
    filters = {"award": award, "outcome": outcome, "q": q}
    wanted = requested(page)
    found = await _listed(session, viewer, year, filters, wanted)
    shown_page = page_of(found.matching, page, PAGE_SIZE, lambda n: _page_href(year, filters, n))
    if shown_page.number != wanted and found.matching:  # past the last page: the last one
        found = await _listed(session, viewer, year, filters, shown_page.number)
    preliminary = await preliminary_failures(session, found.rows)
    shown = [application_api.application_out(r, viewer, preliminary) for r in found.rows]
    return render(
        request,
        "applications.html",
        title=f"{year}年度申报列表",
        cycle=cycle,
        applications=shown,
        filters=filters,
        awards=AWARDS,
        outcomes=OUTCOMES,
        year=year,
        everything=found.everything,
        page=shown_page,
    )


async def _application_page(
    request: Request,
    ctx: Ctx,
    session: SessionDep,
    viewer: Viewer,
    year: int,
    code: str,
    form: Form,
) -> Response:
    row = await views.application(session, viewer, year, code)
    out = application_api.application_out(row, viewer, await preliminary_failures(session, [row]))
    context: dict[str, Any] = {"materials": None, "tasks": [], "panels": {}, "scores": {}}
    context["materials"] = await materials.list_for(session, row.application.id)
    context["explanation"] = await insight.explanation_for(session, viewer, row)
    context["locked"] = ctx.clock() >= materials.locked_from(row.cycle.application_deadline)
    context["may_download"] = viewer.role in MATERIAL_READERS
    context["max_mb"] = materials.megabytes(ctx.settings.max_material_bytes)
    context["may_change"] = (
        viewer.role in (Role.APPLICANT, Role.OFFICE)
        and row.cycle.phase in material_api.UPLOAD_PHASES
        and row.application.outcome == "pending"
        and not context["locked"]
    )
    if viewer.role in OFFICIALS:
        context["tasks"] = await views.verification_tasks(session, row.application.id)
    for stage in Stage:
        if viewer.role != Role.APPLICANT:
            try:
                context["panels"][stage.value] = await views.panel(session, viewer, row, stage)
            except DomainError:
                pass  # not on this stage's panel: the reviewer sees the stage it sits on
        try:
            context["scores"][stage.value] = await views.stage_scores(session, viewer, row, stage)
        except DomainError:
            pass
    if viewer.role == Role.APPLICANT and row.application.site_report_confirmed_at is None:
        site = context["scores"].get(Stage.SITE.value)
        if site is not None and site.complete:  # §4(3): what the applicant confirms, by digest
            ask = documents.Ask(Kind.REVIEW_REPORT, stage=Stage.SITE, credit_code=code)
            pending = await session.run_sync(documents.prepare, year, ask, viewer)
            context["site_report"] = await documents.made(session.run_sync, pending)
    return render(
        request,
        "application.html",
        title=f"{row.organization.name}（{year}年度申报）",
        app=out,
        row=row,
        org=row.organization,
        form=form,
        year=year,
        departments=DEPARTMENTS,
        reasons=REASONS,
        stages=list(Stage),
        cycle_href=cycle_link(year),
        **context,
    )


@router.get("/console/cycles/{year}/applications/{code}")
async def application(
    request: Request, year: int, code: str, viewer: WebUser, ctx: Ctx, session: SessionDep
) -> Response:
    return await _application_page(request, ctx, session, viewer, year, code, Form())


@router.post("/console/cycles/{year}/applications/{code}/findings", summary="录入职能部门核查意见")
async def record_finding(
    request: Request,
    year: int,
    code: str,
    viewer: OfficeUser,
    ctx: Ctx,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        data: dict[str, Any] = posted.data("reason", "note", "department")
        data["passed"] = posted.get("passed") == "yes"
        if data["passed"]:
            data.pop("reason", None)
        await application_api.record_finding(
            year, code, FindingCreate.model_validate(data), viewer, service
        )
        return application_link(year, code, "#findings")

    return await act(
        request,
        posted,
        run,
        "核查意见已记录",
        again=lambda form: _application_page(request, ctx, session, viewer, year, code, form),
        fields={ErrorCode.NOT_IN_PHASE: "passed", ErrorCode.INVALID_INPUT: "reason"},
    )


@router.post("/console/cycles/{year}/applications/{code}/materials", summary="上传申报材料（PDF）")
async def upload_material(
    request: Request,
    year: int,
    code: str,
    viewer: OfficeOrApplicantUser,
    ctx: Ctx,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        file = posted.file("file")
        if file is None:
            raise DomainError(ErrorCode.INVALID_MATERIAL, "请选择要上传的PDF文件")
        await material_api.upload(year, code, viewer, ctx, session, cast(UploadFile, file))
        return application_link(year, code, "#materials")

    return await act(
        request,
        posted,
        run,
        "材料已上传",
        again=lambda form: _application_page(request, ctx, session, viewer, year, code, form),
        fields=MATERIAL_FIELDS,
        session=session,
    )


MATERIAL_FIELDS = {
    ErrorCode.INVALID_MATERIAL: "file",
    ErrorCode.MATERIAL_TOO_LARGE: "file",
    ErrorCode.NOT_IN_PHASE: "file",
    ErrorCode.MATERIALS_LOCKED: "file",
}
MaterialReader = Annotated[Viewer, Depends(gate(*MATERIAL_READERS))]


def _material_fields(material_id: int) -> dict[ErrorCode, str]:
    """A refusal of one material's replacement shown next to that material's file box."""
    return dict.fromkeys(MATERIAL_FIELDS, f"file_{material_id}")


@router.get("/console/cycles/{year}/applications/{code}/materials/{material_id}")
async def download_material(
    year: int, code: str, material_id: int, viewer: MaterialReader, ctx: Ctx, session: SessionDep
) -> Response:
    """The API's download (`api.routers.materials.download`): the same readers, the same
    checks (an applicant its own, a reviewer what it is assigned to)."""
    return await material_api.download(year, code, material_id, viewer, ctx, session)


@router.post(
    "/console/cycles/{year}/applications/{code}/materials/{material_id}/replace",
    summary="替换申报材料（申报截止前）",
)
async def replace_material(
    request: Request,
    year: int,
    code: str,
    material_id: int,
    viewer: OfficeOrApplicantUser,
    ctx: Ctx,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        file = posted.file(f"file_{material_id}")
        if file is None:
            raise DomainError(ErrorCode.INVALID_MATERIAL, "请选择用于替换的PDF文件")
        await material_api.replace(
            year, code, material_id, viewer, ctx, session, cast(UploadFile, file)
        )
        return application_link(year, code, "#materials")

    return await act(
        request,
        posted,
        run,
        "材料已替换",
        again=lambda form: _application_page(request, ctx, session, viewer, year, code, form),
        fields=_material_fields(material_id),
        session=session,
    )


@router.post(
    "/console/cycles/{year}/applications/{code}/materials/{material_id}/delete",
    summary="删除申报材料（申报截止前）",
)
async def delete_material(
    request: Request,
    year: int,
    code: str,
    material_id: int,
    viewer: OfficeOrApplicantUser,
    ctx: Ctx,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        await material_api.delete(year, code, material_id, viewer, ctx, session)
        return application_link(year, code, "#materials")

    return await act(
        request,
        posted,
        run,
        "材料已删除",
        again=lambda form: _application_page(request, ctx, session, viewer, year, code, form),
        fields=_material_fields(material_id),
        session=session,
    )


@router.post(
    "/console/cycles/{year}/applications/{code}/site-report/confirm",
    summary="申报组织确认现场评审报告",
)
async def confirm_site_report(
    request: Request,
    year: int,
    code: str,
    viewer: ApplicantUser,
    ctx: Ctx,
    service: Service,
    session: SessionDep,
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        digest = SiteReportConfirm.model_validate(posted.data("report_sha256"))
        await application_api.confirm_site_report(year, code, digest, viewer, service, session)
        return application_link(year, code)

    return await act(
        request,
        posted,
        run,
        "现场评审报告已确认",
        again=lambda form: _application_page(request, ctx, session, viewer, year, code, form),
    )


@router.get("/console/documents/{document_id}", summary="下载文书（控制台）")
async def document(document_id: int, viewer: WebUser, session: SessionDep) -> Response:
    """The archive's copy, to whoever may read what it contains (`services.documents`)."""
    return await document_api.by_id(document_id, viewer, session)
