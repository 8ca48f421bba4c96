"""Cycles (评审周期): the list, opening one with its program rules shown, the overview with
its phase bar, deadlines and counts, extending a deadline and closing qualification."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.context import Ctx, Service, SessionDep
from api.routers import cycles as cycle_api
from api.schemas.cycles import CancelRequest, CycleIn, DeadlineExtensionRequest
from domain.errors import DomainError, ErrorCode
from domain.names import OUTCOME_NAMES, PHASE_NAMES, name_of
from domain.phases import PHASE_ORDER, Phase
from domain.rules import ProgramRules, RulesError, load_rules
from services import listings, views
from web.forms import Form, Posted, act, read_form, refusal_errors
from web.render import render
from web.session import OfficeUser, WebUser

router = APIRouter(include_in_schema=False)

BAR: list[Phase] = [p for p in PHASE_ORDER if p != Phase.CANCELLED]
DEADLINES = [("application", "申报截止日期"), ("document", "资料评审"), ("site", "现场评审")]


def rules_shown(rules: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """The program rules a person checks before opening a cycle, in Chinese (DESIGN §5.1)."""
    r = load_rules(rules)
    w = r.scoring.weights
    return [
        (
            "质量奖名额 / 有效期（§1(2)、§6(5)）",
            f"{r.quality.quota} 名 / {r.quality.validity_years} 年",
        ),
        ("创新奖名额（§1(2)）", f"{r.innovation.quota} 名"),
        ("评审组最少人数（§2(4)）", f"{r.panel.min_size} 人"),
        ("允许直接给总分（§1(4)）", "是" if r.scoring.allow_totals else "否（须逐项评分）"),
        ("总分权重", f"资料评审 {w.document} · 现场评审 {w.site}"),
        ("现场评审入围上限（§4(2)）", f"每奖项 {r.shortlist.max_per_award} 名"),
        ("资料评审期限 / 现场评审期限", f"{r.review.document_days} 天 / {r.review.site_days} 天"),
        ("公示期（§4(5)）", f"{r.publicity.days} 天"),
        ("撤销称号的事故期限（§6(6)）", f"获奖后 {r.revocation.window_years} 年内"),
        (
            "奖金（§5(1)）",
            f"首次质量奖 {r.bonus.quality_first:,} 元 · 首次创新奖 {r.bonus.innovation_first:,} 元"
            f" · 已获创新奖再获质量奖 {r.bonus.quality_after_innovation:,} 元",
        ),
    ]


RULE_FIELDS: list[tuple[str, str, str]] = [
    ("quality.quota", "质量奖名额（§1(2)）", "名"),
    ("innovation.quota", "创新奖名额（§1(2)）", "名"),
    ("panel.min_size", "评审组最少人数（§2(4)）", "人"),
    ("shortlist.max_per_award", "现场评审入围上限（§4(2)，每奖项）", "名"),
    ("review.document_days", "资料评审期限", "天"),
    ("review.site_days", "现场评审期限", "天"),
    ("publicity.days", "公示期（§4(5)）", "天"),
]
"""Program rules the office may set when it opens a cycle (``rules`` of the open-cycle
command, deep-merged over the defaults: `domain.rules.load_rules`): dotted key, label, unit.
The form field of ``a.b`` is ``rule_a_b``."""
ALLOW_TOTALS = "scoring.allow_totals"
OPEN_FIELDS = ("year", "application_deadline", "committee_members")


def rule_field(key: str) -> str:
    return "rule_" + key.replace(".", "_")


def _rule_value(rules: ProgramRules, key: str) -> Any:
    value: Any = rules
    for part in key.split("."):
        value = getattr(value, part)
    return value


def default_rule_values() -> dict[str, str]:
    rules = load_rules()
    values = {rule_field(k): str(_rule_value(rules, k)) for k, _, _ in RULE_FIELDS}
    values[rule_field(ALLOW_TOTALS)] = "yes" if rules.scoring.allow_totals else "no"
    return values


def rule_overrides(posted: Posted) -> dict[str, Any]:
    """The rules typed on the form that differ from the defaults, as the command's nested
    ``rules`` (a field left empty keeps the default). A value that is not a whole number is
    passed on as typed: the rules' own validation refuses it with its key."""
    defaults = load_rules()
    found: dict[str, Any] = {}
    chosen: list[tuple[str, Any]] = []
    for key, _, _ in RULE_FIELDS:
        typed = (posted.get(rule_field(key)) or "").strip()
        if typed:
            chosen.append((key, int(typed) if typed.isdigit() else typed))
    totals = posted.get(rule_field(ALLOW_TOTALS))
    if totals in ("yes", "no"):
        chosen.append((ALLOW_TOTALS, totals == "yes"))
    for key, value in chosen:
        if value == _rule_value(defaults, key):
            continue
        section, name = key.split(".")
        found.setdefault(section, {})[name] = value
    return found


def _list_page(
    request: Request,
    cycles: list[Any],
    form: Form,
    today: Any,
    preview: list[tuple[str, str]] | None = None,
    changed: list[tuple[str, str, str]] | None = None,
) -> Response:
    return render(
        request,
        "cycles.html",
        title="评审周期" if preview is None else "核对本周期的评审规则",
        cycles=cycles,
        form=form,
        rules=rules_shown(),
        rule_fields=[(rule_field(k), label, unit) for k, label, unit in RULE_FIELDS],
        totals_field=rule_field(ALLOW_TOTALS),
        preview=preview,
        changed=changed or [],
        today=today,
        phase_names=PHASE_NAMES,
    )


@router.get("/console/cycles")
async def cycle_list(request: Request, viewer: WebUser, ctx: Ctx, session: SessionDep) -> Response:
    today = ctx.today()
    values: dict[str, str | list[str]] = {
        "year": str(today.year),
        "committee_members": "9",
        **default_rule_values(),
    }
    return _list_page(request, await listings.cycles(session), Form(values=values), today)


def _open_command(posted: Posted) -> CycleIn:
    """The open-cycle command as typed; the rules checked here already (their field named),
    so that the confirmation lists only rules that can apply."""
    overrides = rule_overrides(posted)
    try:
        load_rules(overrides)
    except RulesError as err:
        section_key = next((k for k, _, _ in RULE_FIELDS if k == err.key), err.key)
        raise _RuleRefused(rule_field(section_key), err.problem) from None
    return CycleIn.model_validate({**posted.data(*OPEN_FIELDS), "rules": overrides})


def _changes(overrides: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, default, chosen) of each rule the office changed."""
    defaults, chosen = load_rules(), load_rules(overrides)
    found = []
    for key, label, unit in [*RULE_FIELDS, (ALLOW_TOTALS, "允许直接给总分（§1(4)）", "")]:
        before, after = _rule_value(defaults, key), _rule_value(chosen, key)
        if before != after:
            if isinstance(before, bool):
                found.append((label, "是" if before else "否", "是" if after else "否"))
            else:
                found.append((label, f"{before} {unit}", f"{after} {unit}"))
    return found


class _RuleRefused(Exception):
    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem


@router.post("/console/cycles", summary="开启评审周期（发布申报通告）")
async def open_cycle(
    request: Request, viewer: OfficeUser, ctx: Ctx, service: Service, session: SessionDep
) -> Response:
    """Two steps: the typed form comes back as the rules that will apply (those changed
    from the defaults marked) with a confirm button; only the confirmed form opens."""
    posted = await read_form(request)
    cycles = await listings.cycles(session)
    today = ctx.today()

    def again(form: Form) -> Response:
        return _list_page(request, cycles, form, today)

    if posted.get("confirm") != "yes":
        form = posted.kept()
        try:
            body = _open_command(posted)
        except _RuleRefused as err:
            form.errors = {err.field: f"评审规则配置无效：{err.problem}"}
            refused = again(form)
            refused.status_code = 422
            return refused
        except ValidationError as err:
            form.errors = refusal_errors(err, {})
            refused = again(form)
            refused.status_code = 422
            return refused
        changed = _changes(body.rules)
        return _list_page(request, cycles, form, today, rules_shown(body.rules), changed)

    async def run() -> str:
        try:
            body = _open_command(posted)
        except _RuleRefused as err:
            raise DomainError(ErrorCode.INVALID_RULES, err.problem) from None
        await cycle_api.open_cycle(body, viewer, service, session)
        return f"/console/cycles/{body.year}"

    return await act(
        request,
        posted,
        run,
        "评审周期已开启，申报通告已发布",
        again=again,
        fields={ErrorCode.CYCLE_EXISTS: "year", ErrorCode.INVALID_INPUT: "application_deadline"},
    )


async def _overview(
    request: Request,
    viewer: Any,
    session: SessionDep,
    year: int,
    form: Form,
    cancelling: str | None = None,
) -> Response:
    """`cancelling`: the reason typed, when the office is asked to confirm a cancellation."""
    cycle = await views.find_cycle(session, year)
    counted = await views.counts(session, viewer, year)
    steps = [
        ("applied", "申报"),
        ("eligible", "资格审查通过"),
        ("shortlisted", "入围现场评审"),
        ("confirmed", "现场评审报告已确认"),
        ("scored", "有总得分"),
        ("awarded", "获奖"),
    ]
    funnel = [(label, counted.funnel[step]) for step, label in steps]
    outcomes = counted.outcomes
    out = cycle_api.cycle_out(cycle, viewer)
    now = BAR.index(Phase(cycle.phase)) if cycle.phase in BAR else -1
    return render(
        request,
        "cycle.html",
        title=f"{year}年度评审周期",
        cycle=out,
        bar=BAR,
        now=now,
        funnel=funnel,
        outcomes=[(name_of(k, OUTCOME_NAMES), n) for k, n in outcomes.items()],
        form=form,
        deadlines=DEADLINES,
        rules=rules_shown(cycle.rules),
        cancelling=cancelling,
    )


@router.get("/console/cycles/{year}")
async def overview(request: Request, year: int, viewer: WebUser, session: SessionDep) -> Response:
    return await _overview(request, viewer, session, year, Form())


@router.post("/console/cycles/{year}/deadline-extensions", summary="延长申报截止日期或评审截止日期")
async def extend_deadline(
    request: Request, year: int, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        body = DeadlineExtensionRequest.model_validate(posted.data("what", "until", "reason"))
        await cycle_api.extend_deadline(year, body, viewer, service)
        return f"/console/cycles/{year}"

    return await act(
        request,
        posted,
        run,
        "截止日期已延长",
        again=lambda form: _overview(request, viewer, session, year, form),
        fields={
            ErrorCode.INVALID_INPUT: "until",
            ErrorCode.NOT_IN_PHASE: "what",
            ErrorCode.STAGE_CLOSED: "what",
        },
    )


@router.post("/console/cycles/{year}/close-qualification", summary="结束资格审查")
async def close_qualification(
    request: Request, year: int, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        await cycle_api.close_qualification(year, viewer, service)
        return f"/console/cycles/{year}"

    return await act(
        request,
        posted,
        run,
        "资格审查已结束，审查结果已通知申报组织",
        again=lambda form: _overview(request, viewer, session, year, form),
    )


@router.post("/console/cycles/{year}/cancel", summary="取消评审周期")
async def cancel_cycle(
    request: Request, year: int, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    """Two steps: the reason typed comes back with a warning and a confirm button; only the
    confirmed form cancels (the workflow refuses a cycle already announced or cancelled)."""
    posted = await read_form(request)

    async def again(form: Form) -> Response:
        return await _overview(request, viewer, session, year, form)

    def command() -> CancelRequest:
        try:
            return CancelRequest.model_validate({"reason": posted.get("cancel_reason") or ""})
        except ValidationError as err:
            raise _CancelRefused(refusal_errors(err, {}).popitem()[1]) from None

    if posted.get("confirm") != "yes":
        form = posted.kept()
        try:
            body = command()
        except _CancelRefused as err:
            form.errors = {"cancel_reason": err.message}
            refused = await again(form)
            refused.status_code = 422
            return refused
        return await _overview(request, viewer, session, year, form, cancelling=body.reason)

    async def run() -> str:
        try:
            body = command()
        except _CancelRefused as err:
            raise DomainError(ErrorCode.INVALID_INPUT, err.message) from None
        await cycle_api.cancel_cycle(year, body, viewer, service)
        return f"/console/cycles/{year}"

    return await act(
        request,
        posted,
        run,
        f"{year}年度评审周期已取消",
        again=again,
        fields={ErrorCode.CYCLE_CLOSED: "cancel_reason", ErrorCode.INVALID_INPUT: "cancel_reason"},
    )


class _CancelRefused(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


@router.post("/console/cycles/{year}/resume", summary="重试失败的后台任务")
async def resume_cycle(
    request: Request, year: int, viewer: OfficeUser, service: Service, session: SessionDep
) -> Response:
    posted = await read_form(request)

    async def run() -> str:
        await cycle_api.resume(year, viewer, service)
        return f"/console/cycles/{year}"

    return await act(
        request,
        posted,
        run,
        "已重新执行后台任务",
        again=lambda form: _overview(request, viewer, session, year, form),
    )
