"""Rehearsals (规则预演, issue #18 item 4): rerun a cycle or an uploaded scenario under changed
rule values, in the background, and compare the two results (`services.rehearsals`).

The office starts them (from a cycle's page or by uploading a scenario file) and reads
them; the supervision group reads them; nobody else sees them. The progress page refreshes
itself (a `Refresh` header and a `<meta http-equiv="refresh">`: no script needed).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.context import Ctx, SessionDep
from domain.errors import DomainError, ErrorCode
from services import views
from services.rehearsals import (
    APPLICATION_COLUMNS,
    FIELD_GROUPS,
    HONOR_COLUMNS,
    RULE_FIELDS,
    OverridesInvalid,
    Rehearsal,
    Rehearsals,
    application_rows,
    current_values,
    honor_rows,
    named,
    parse_overrides,
    scenario_from_upload,
    totals,
    winner_rows,
)
from services.scenario_export import export_cycle
from sim.scenario import Scenario, ScenarioError, parse_scenario
from web.forms import Form, act, read_form
from web.render import render
from web.session import OfficeOrSupervisorUser, OfficeUser

router = APIRouter(include_in_schema=False)
REFRESH_S = 2
MAX_UPLOAD_BYTES = 8 * 1024 * 1024


def rehearsals_of(request: Request) -> Rehearsals:
    """This process's rehearsals (kept on the app: in memory, see `services.rehearsals`)."""
    state = request.app.state
    found = getattr(state, "rehearsals", None)
    if found is None:
        found = Rehearsals()
        state.rehearsals = found
    return found


Registry = Annotated[Rehearsals, Depends(rehearsals_of)]


def _list_page(request: Request, registry: Rehearsals, form: Form) -> Response:
    return render(
        request,
        "rehearsal/list.html",
        title="规则预演",
        rehearsals=registry.all(),
        form=form,
        limits=(registry.max_running, registry.max_waiting),
    )


@router.get("/console/rehearsals")
async def rehearsal_list(
    request: Request, viewer: OfficeOrSupervisorUser, registry: Registry
) -> Response:
    return _list_page(request, registry, Form())


@router.post("/console/rehearsals/upload", summary="上传情景文件以预演规则调整")
async def upload(request: Request, viewer: OfficeUser, registry: Registry) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        upload = posted.file("scenario")
        if upload is None:
            raise DomainError(ErrorCode.INVALID_INPUT, "请选择情景文件（YAML）")
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise DomainError(ErrorCode.INVALID_INPUT, "情景文件超过 8 MB")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(ErrorCode.INVALID_INPUT, "情景文件须为 UTF-8 编码的 YAML") from None
        scenario = scenario_from_upload(text)
        draft = registry.add_draft(f"上传的情景：{upload.filename}", scenario, viewer.username)
        return f"/console/rehearsals/new?draft={draft.id}"

    return await act(
        request,
        posted,
        run,
        "情景文件已读入，请设定预演的规则",
        again=lambda form: _list_page(request, registry, form),
        fields={ErrorCode.INVALID_INPUT: "scenario"},
    )


async def _cycle_scenario(ctx: Any, session: SessionDep, year: int) -> Scenario:
    """The live cycle exported as a scenario (`GET /cycles/{year}/scenario.yaml`'s text)."""
    cycle = await views.find_cycle(session, year)
    await ctx.award_service()  # connected to Temporal (or a clear 503)
    text = await export_cycle(ctx.client, session, cycle, ctx.clock())
    try:
        return parse_scenario(text)
    except ScenarioError as err:  # pragma: no cover - an export always parses (tests/sim)
        raise DomainError(ErrorCode.INVALID_INPUT, f"导出的情景无法读取：{err}") from None


async def _source(
    ctx: Any, session: SessionDep, registry: Rehearsals, year: int | None, draft: str | None
) -> tuple[str, dict[str, Any], Scenario | None]:
    """What the form rehearses: its words, its rules (to pre-fill), and the scenario when it
    is already known (a draft; a cycle is exported when the rehearsal starts)."""
    if draft is not None:
        found = registry.draft(draft)
        return found.source, found.scenario.rules, found.scenario
    if year is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "请从评审周期页面或上传情景文件开始预演")
    cycle = await views.find_cycle(session, year)
    return f"{year}年度评审周期", dict(cycle.rules or {}), None


def _form_page(
    request: Request,
    source: str,
    rules: dict[str, Any],
    form: Form,
    hidden: dict[str, str],
    status_code: int = 200,
) -> Response:
    current = current_values(rules)
    if not form.values:
        form.values = dict(current)
    groups = [(g, [r for r in RULE_FIELDS if r.group == g]) for g in FIELD_GROUPS]
    return render(
        request,
        "rehearsal/new.html",
        title="规则预演：设定规则",
        source=source,
        groups=groups,
        current=current,
        form=form,
        hidden=hidden,
        status_code=status_code,
    )


@router.get("/console/rehearsals/new")
async def new_rehearsal(
    request: Request,
    viewer: OfficeUser,
    ctx: Ctx,
    session: SessionDep,
    registry: Registry,
    year: Annotated[int | None, Query()] = None,
    draft: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    source, rules, _ = await _source(ctx, session, registry, year, draft)
    hidden = {"draft": draft} if draft is not None else {"year": str(year)}
    return _form_page(request, source, rules, Form(), hidden)


@router.post("/console/rehearsals", summary="开始规则预演（在独立的时间跳跃服务器上运行）")
async def start_rehearsal(
    request: Request, viewer: OfficeUser, ctx: Ctx, session: SessionDep, registry: Registry
) -> Response:
    posted = await read_form(request)
    draft = posted.get("draft")
    year_text = posted.get("year")
    try:
        year = int(year_text) if year_text is not None else None
    except ValueError:
        raise DomainError(ErrorCode.INVALID_INPUT, "年度应为整数") from None
    source, rules, scenario = await _source(ctx, session, registry, year, draft)
    hidden = {"draft": draft} if draft is not None else {"year": str(year)}
    values = {r.name: posted.form.get(r.name) for r in RULE_FIELDS}
    typed = {k: v for k, v in values.items() if isinstance(v, str)}
    try:
        overrides = parse_overrides(rules, typed)
    except OverridesInvalid as err:
        form = posted.kept()
        form.errors = err.errors
        return _form_page(request, source, rules, form, hidden, status_code=422)

    async def run() -> str:
        chosen = scenario
        if chosen is None:
            assert year is not None
            chosen = await _cycle_scenario(ctx, session, year)
        rehearsal = registry.start(source, chosen, overrides, viewer.username)
        return f"/console/rehearsals/{rehearsal.id}"

    return await act(
        request,
        posted,
        run,
        "预演已开始，在独立的时间跳跃服务器上运行，不影响正式数据",
        again=lambda form: _form_page(request, source, rules, form, hidden),
    )


def _result(rehearsal: Rehearsal) -> dict[str, Any]:
    base, variant = rehearsal.base.outcome, rehearsal.variant.outcome
    base_totals, variant_totals = totals(base), totals(variant)
    names = {key: org.name for key, org in rehearsal.scenario.organizations.items()}
    return {
        "differences": [
            (named(d.subject, names), d.what, named(d.base, names), named(d.variant, names))
            for d in rehearsal.rows
        ],
        "applications": application_rows(base, variant, names),
        "application_columns": [label for _, label in APPLICATION_COLUMNS],
        "winners": winner_rows(base, variant, names),
        "honors": honor_rows(base, variant, names),
        "honor_columns": [label for _, label in HONOR_COLUMNS],
        "totals": [(k, base_totals[k], variant_totals.get(k)) for k in base_totals],
    }


@router.get("/console/rehearsals/{rehearsal_id}")
async def show_rehearsal(
    request: Request, rehearsal_id: str, viewer: OfficeOrSupervisorUser, registry: Registry
) -> Response:
    rehearsal = registry.get(rehearsal_id)
    result = _result(rehearsal) if rehearsal.state == "done" else {}
    response = render(
        request,
        "rehearsal/show.html",
        title=f"规则预演：{rehearsal.source}",
        r=rehearsal,
        refresh=REFRESH_S,
        **result,
    )
    if not rehearsal.finished:
        response.headers["Refresh"] = str(REFRESH_S)
    return response


@router.get("/console/rehearsals/{rehearsal_id}/timelines/{which}/{number}.svg")
async def rehearsal_timeline(
    rehearsal_id: str, which: str, number: int, viewer: OfficeOrSupervisorUser, registry: Registry
) -> Response:
    rehearsal = registry.get(rehearsal_id)
    run = {"base": rehearsal.base, "variant": rehearsal.variant}.get(which)
    if run is None or not 0 <= number < len(run.timelines):
        raise DomainError(ErrorCode.NOT_FOUND, "没有这张时间线")
    return Response(run.timelines[number][1], media_type="image/svg+xml; charset=utf-8")
