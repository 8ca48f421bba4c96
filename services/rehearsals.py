"""Rehearsals (规则预演, issue #18 item 4): a scenario run under its own rules and under
changed ones, in the background of the API process, for the office's console.

A rehearsal is a scenario (a live cycle exported by `services.scenario_export`, or an
uploaded file parsed by `sim.scenario.parse_scenario`) plus rule overrides (the keys of a
scenario's `rules:`, DESIGN.md §5.1). It runs as an asyncio task of this process through
`sim.runner.run_scenario`, which gives each run a time-skipping Temporal server of its own
and a throwaway SQLite database: nothing of the live database, namespace or task queue is
used (each run records where it ran, `Run.database` / `Run.temporal`, and the tests check
those against the live ones). The two runs go side by side (`PARALLEL`). At most
`max_running` rehearsals run at a time (default 1: its two runs already use both of the
machine's cores); up to `max_waiting` more wait their turn, further ones are refused with
`rate_limited`.

The rehearsals are kept **in memory, per process** (`Rehearsals`, on `app.state`): a
restart forgets them, and with several API processes each knows its own. A rehearsal is
a question asked and answered in minutes, not a record of the programme; nothing about it
goes into the database, so it cannot be mistaken for the cycle's own data.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any, Literal

from domain.errors import DomainError, ErrorCode
from domain.names import AWARD_NAMES, OUTCOME_NAMES, name_of
from domain.rules import RulesError, load_rules
from sim.compare import Difference, differences, merged_rules
from sim.output import Outcome
from sim.runner import Finished, run_scenario
from sim.scenario import Scenario, ScenarioError, parse_scenario

State = Literal["queued", "running_base", "running_variant", "running_both", "done", "failed"]
STATE_NAMES: dict[str, str] = {
    "queued": "排队等待",
    "running_base": "按原规则运行中",
    "running_variant": "按新规则运行中",
    "running_both": "按原规则和新规则同时运行中",
    "done": "已完成",
    "failed": "失败",
}
MAX_RUNNING = 1
PARALLEL = True
"""A rehearsal's two runs go side by side (each has a server of its own), not one after the
other: on this 2-core machine a 100-application rehearsal took 23 s so against 31–34 s
(README, "规则预演")."""
MAX_WAITING = 2
KEEP = 20
"""Finished rehearsals kept per process (the oldest finished ones are forgotten first)."""

Runner = Callable[..., Awaitable[Outcome]]

# --- the rule values the form shows ------------------------------------------------------


@dataclass(frozen=True)
class RuleField:
    """One rule value of the form: its dotted key in the rules, label and kind."""

    key: str
    label: str
    kind: Literal["int", "ratio", "score", "years"]
    """int: a whole number ≥ `least`; ratio: 2/3 or 0.4; score: 0–1000; years: ≥ 1 or
    empty for no expiry."""
    least: int = 0
    group: str = ""

    @property
    def name(self) -> str:
        """The form field's name (dots are fine in HTML names)."""
        return self.key


RULE_FIELDS: list[RuleField] = [
    RuleField("quality.quota", "质量奖名额（§1(2)）", "int", 1, "名额"),
    RuleField("innovation.quota", "创新奖名额（§1(2)）", "int", 1, "名额"),
    RuleField("shortlist.max_per_award", "现场评审入围上限（每奖项，§4(2)）", "int", 1, "名额"),
    RuleField("scoring.weights.document", "资料评审权重", "ratio", 0, "总分权重"),
    RuleField("scoring.weights.site", "现场评审权重", "ratio", 0, "总分权重"),
    RuleField("shortlist.min_document_score", "入围线：资料评审最低分", "score", 0, "分数线"),
    RuleField("committee.min_total", "候选线：提交表决的最低总分", "score", 0, "分数线"),
    RuleField("review.spread_alert_points", "合议范围：组内总分差超过即提示", "score", 0, "分数线"),
    RuleField("committee.pass_ratio", "表决通过比例（赞成票超过出席人数的）", "ratio", 0, "分数线"),
    RuleField("committee.quorum", "法定出席比例", "ratio", 0, "分数线"),
    RuleField("review.document_days", "资料评审期限（天）", "int", 1, "期限"),
    RuleField("review.site_days", "现场评审期限（天）", "int", 1, "期限"),
    RuleField("publicity.days", "公示期（天，§4(5)）", "int", 1, "期限"),
    RuleField("quality.reapply_after_years", "质量奖再次申报间隔（年，§5(3)）", "int", 0, "期限"),
    RuleField("innovation.reapply_after_years", "创新奖再次申报间隔（年）", "int", 0, "期限"),
    RuleField("quality.validity_years", "质量奖有效期（年，空为长期）", "years", 1, "期限"),
    RuleField("innovation.validity_years", "创新奖有效期（年，空为长期）", "years", 1, "期限"),
    RuleField("revocation.window_years", "撤销称号的事故期限（年，§6(6)）", "int", 1, "期限"),
    RuleField("bonus.quality_first", "首次质量奖奖金（元，§5(1)）", "int", 0, "奖金"),
    RuleField("bonus.innovation_first", "首次创新奖奖金（元）", "int", 0, "奖金"),
    RuleField("bonus.quality_after_innovation", "已获创新奖再获质量奖奖金（元）", "int", 0, "奖金"),
]  # fmt: skip
FIELD_GROUPS = ["名额", "总分权重", "分数线", "期限", "奖金"]


def _get(data: Mapping[str, Any], key: str) -> Any:
    value: Any = data
    for part in key.split("."):
        value = value[part]
    return value


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _ratio_text(value: Fraction) -> str:
    """2/5 as "0.4" when it is a short decimal, else "2/3"."""
    for digits in range(0, 7):
        scaled = value * 10**digits
        if scaled.denominator == 1:
            return f"{float(value):.{digits}f}" if digits else str(scaled.numerator)
    return f"{value.numerator}/{value.denominator}"


def shown_value(rule: RuleField, value: Any) -> str:
    """A rule value as the form shows it."""
    if value is None:
        return ""
    if rule.kind == "ratio":
        return _ratio_text(Fraction(str(value)))
    if rule.kind == "score":
        return f"{float(value):g}"
    return str(value)


def current_values(rules: Mapping[str, Any]) -> dict[str, str]:
    """Each form field's value under `rules` (a scenario's or a cycle's overrides)."""
    full = load_rules(rules).model_dump(mode="json")
    return {r.name: shown_value(r, _get(full, r.key)) for r in RULE_FIELDS}


class OverridesInvalid(DomainError):
    """The form's rule values do not make rules; `errors` by field name, in Chinese."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(ErrorCode.INVALID_RULES, "；".join(errors.values()))
        self.errors = errors


def _parse(rule: RuleField, text: str) -> tuple[Any, str | None]:
    """The typed value, or an error in Chinese."""
    text = text.strip()
    if rule.kind == "years" and text == "":
        return None, None
    if text == "":
        return None, "请填写"
    if rule.kind in ("int", "years"):
        try:
            number = int(text)
        except ValueError:
            return None, "应为整数"
        least = rule.least
        if number < least:
            return None, f"不能小于 {least}"
        return number, None
    if rule.kind == "ratio":
        try:
            ratio = Fraction(text)
        except (ValueError, ZeroDivisionError):
            return None, "应为分数（如 2/3）或小数（如 0.4）"
        if not 0 <= ratio <= 1:
            return None, "应在 0 到 1 之间"
        return ratio, None
    try:
        score = float(text)
    except ValueError:
        return None, "应为数字"
    if not 0 <= score <= 1000:
        return None, "应在 0 到 1000 之间"
    return score, None


def _field_of(key: str, overrides: Mapping[str, Any]) -> str | None:
    """The form field a rules error names; for a whole section's check (`committee`, the
    weights' sum) the first of its fields that was changed."""
    under = [r for r in RULE_FIELDS if r.key == key or r.key.startswith(f"{key}.")]
    for rule in under:
        try:
            _get(overrides, rule.key)
        except (KeyError, TypeError):
            continue
        return rule.name
    return under[0].name if under else None


def parse_overrides(own: Mapping[str, Any], posted: Mapping[str, str]) -> dict[str, Any]:
    """The overrides the form asks for: every field whose value differs from `own` rules'
    (fields left out of `posted` keep their value). Raises `OverridesInvalid` naming each
    field that is wrong; the rules they make are checked whole (weights must sum to 1)."""
    current = load_rules(own).model_dump(mode="json")
    errors: dict[str, str] = {}
    overrides: dict[str, Any] = {}
    for rule in RULE_FIELDS:
        if rule.name not in posted:
            continue
        value, problem = _parse(rule, posted[rule.name])
        if problem is not None:
            errors[rule.name] = f"{rule.label}：{problem}"
            continue
        was = _get(current, rule.key)
        if rule.kind == "ratio":
            if Fraction(str(was)) != value:
                _set(overrides, rule.key, str(value))
        elif rule.kind == "score":
            if float(was) != value:
                _set(overrides, rule.key, value)
        elif was != value:
            _set(overrides, rule.key, value)
    if errors:
        raise OverridesInvalid(errors)
    try:
        load_rules(merged_rules(own, overrides))
    except RulesError as err:
        name = _field_of(err.key, overrides) or RULE_FIELDS[0].name
        problem = err.problem
        if err.key == "scoring.weights":
            problem = "资料评审与现场评审权重须为非负数且合计为 1"
        raise OverridesInvalid({name: f"{err.key}：{problem}"}) from None
    return overrides


def overrides_shown(overrides: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The changed rule values in words: (label, new value)."""
    shown = []
    for rule in RULE_FIELDS:
        try:
            value = _get(overrides, rule.key)
        except (KeyError, TypeError):
            continue
        shown.append((rule.label, shown_value(rule, value) or "长期"))
    return shown


def scenario_from_upload(text: str) -> Scenario:
    """An uploaded scenario file, or `invalid_input` with the parser's Chinese message."""
    try:
        scenario = parse_scenario(text)
        load_rules(scenario.rules)
    except ScenarioError as err:
        raise DomainError(ErrorCode.INVALID_INPUT, str(err)) from None
    except RulesError as err:
        raise DomainError(ErrorCode.INVALID_INPUT, f"情景文件的 rules 无效：{err}") from None
    if not scenario.actions:
        raise DomainError(ErrorCode.INVALID_INPUT, "情景文件没有 timeline 操作，无可预演")
    return scenario


# --- the comparison as the result page shows it --------------------------------------------


@dataclass(frozen=True)
class Cell:
    base: str
    variant: str

    @property
    def changed(self) -> bool:
        return self.base != self.variant


@dataclass(frozen=True)
class Row:
    subject: str
    cells: list[Cell]

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.cells)


def _text(value: Any, outcome: bool = False) -> str:
    if value is None:
        return "—"
    if outcome:
        return name_of(str(value), OUTCOME_NAMES) or str(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def _award(code: str) -> str:
    return name_of(code, AWARD_NAMES) or code


def _pairs(
    base: list[dict[str, Any]], variant: list[dict[str, Any]], key: Callable[[dict[str, Any]], str]
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    one = {key(x): x for x in base}
    other = {key(x): x for x in variant}
    for subject in sorted(one.keys() | other.keys()):
        yield subject, one.get(subject, {}), other.get(subject, {})


APPLICATION_COLUMNS = [
    ("outcome", "结果"),
    ("document_score", "资料评审"),
    ("site_score", "现场评审"),
    ("total_score", "总分"),
]
HONOR_COLUMNS = [
    ("bonus_cny", "奖金（元）"),
    ("awarded_on", "获奖日期"),
    ("valid_until", "有效期至"),
    ("revocation_window_closes", "可撤销期至"),
    ("reapply_from", "可再次申报"),
]


def named(text: str, names: Mapping[str, str]) -> str:
    """`text` with each scenario key of an organization (`P3`) replaced by its name; the
    keys stand alone between spaces or `、` (`2025 P3 质量奖`, `P1、P2`)."""
    return " ".join(
        "、".join(names.get(word, word) for word in part.split("、")) for part in text.split(" ")
    )


def application_rows(
    base: Mapping[str, Any], variant: Mapping[str, Any], names: Mapping[str, str]
) -> list[Row]:
    def apps(outcome: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [
            {**a, "_year": c["year"]} for c in outcome.get("cycles", []) for a in c["applications"]
        ]

    rows = []
    for subject, one, other in _pairs(
        apps(base),
        apps(variant),
        lambda a: (
            f"{a['_year']} {names.get(a['organization'], a['organization'])} {_award(a['award'])}"
        ),
    ):
        cells = [
            Cell(_text(one.get(f), f == "outcome"), _text(other.get(f), f == "outcome"))
            for f, _ in APPLICATION_COLUMNS
        ]
        rows.append(Row(subject, cells))
    return rows


def winner_rows(
    base: Mapping[str, Any], variant: Mapping[str, Any], names: Mapping[str, str]
) -> list[Row]:
    def winners(outcome: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [
            {"subject": f"{c['year']} {_award(award)}", "names": [names.get(k, k) for k in keys]}
            for c in outcome.get("cycles", [])
            for award, keys in (c.get("winners") or {}).items()
        ]

    return [
        Row(subject, [Cell(_text(one.get("names", [])), _text(other.get("names", [])))])
        for subject, one, other in _pairs(winners(base), winners(variant), lambda w: w["subject"])
    ]


def honor_rows(
    base: Mapping[str, Any], variant: Mapping[str, Any], names: Mapping[str, str]
) -> list[Row]:
    return [
        Row(subject, [Cell(_text(one.get(f)), _text(other.get(f))) for f, _ in HONOR_COLUMNS])
        for subject, one, other in _pairs(
            list(base.get("honors", [])),
            list(variant.get("honors", [])),
            lambda h: (
                f"{h['year']} {names.get(h['organization'], h['organization'])} "
                f"{_award(h['award'])}"
            ),
        )
    ]


def totals(outcome: Mapping[str, Any]) -> dict[str, int]:
    """Applications, candidates put to the vote (scored in total), winners, honors, bonus."""
    apps = [a for c in outcome.get("cycles", []) for a in c["applications"]]
    return {
        "申报": len(apps),
        "有总得分": sum(1 for a in apps if a.get("total_score") is not None),
        "获奖": sum(1 for a in apps if a.get("outcome") == "awarded"),
        "称号": len(outcome.get("honors", [])),
        "奖金合计（元）": sum(int(h.get("bonus_cny") or 0) for h in outcome.get("honors", [])),
    }


# --- the rehearsals of this process --------------------------------------------------------


@dataclass
class Run:
    """One of a rehearsal's two runs: its outcome, pictures and where it ran."""

    outcome: dict[str, Any] = field(default_factory=dict)
    timelines: list[tuple[str, str]] = field(default_factory=list)
    """(title, SVG) per cycle of the run."""
    database: str = ""
    """The URL of the throwaway database it ran on."""
    temporal: str = ""
    """The Temporal server and namespace it ran on (`host/namespace`)."""
    seconds: float = 0.0
    step: int = 0
    """Actions the runner has reached."""


@dataclass
class Rehearsal:
    id: str
    source: str
    """What it rehearses, in words: `2025年度评审周期` or the uploaded file's name."""
    scenario: Scenario
    overrides: dict[str, Any]
    created_by: str
    created_at: datetime
    state: State = "queued"
    steps: int = 0
    """Actions of both runs."""
    error: str | None = None
    base: Run = field(default_factory=Run)
    variant: Run = field(default_factory=Run)
    rows: list[Difference] = field(default_factory=list)
    seconds: float = 0.0
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def step(self) -> int:
        """Actions both runs have reached, of `steps`."""
        return self.base.step + self.variant.step

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def changes(self) -> list[tuple[str, str]]:
        return overrides_shown(self.overrides)


@dataclass
class Draft:
    """An uploaded scenario waiting for its rule values."""

    id: str
    source: str
    scenario: Scenario
    created_by: str


class _Steps(list[Any]):
    """The scenario's actions, telling the rehearsal how far the runner has come: the
    runner walks them in order (`sim.runner._run`), so the highest index handed out is the
    step it is at. Walking them again (after the loop) changes nothing."""

    def __init__(self, actions: list[Any], on_step: Callable[[int], None]) -> None:
        super().__init__(actions)
        self._on_step = on_step
        self._reached = 0

    def __iter__(self) -> Iterator[Any]:
        for index, action in enumerate(super().__iter__()):
            if index + 1 > self._reached:
                self._reached = index + 1
                self._on_step(index + 1)
            yield action


class Rehearsals:
    """This process's rehearsals and drafts; `max_running` at a time, `max_waiting` queued."""

    def __init__(
        self,
        *,
        max_running: int = MAX_RUNNING,
        max_waiting: int = MAX_WAITING,
        runner: Runner = run_scenario,
        clock: Callable[[], datetime] | None = None,
        parallel: bool = PARALLEL,
    ) -> None:
        self.max_running = max_running
        self.parallel = parallel
        self.max_waiting = max_waiting
        self._runner = runner
        self._clock = clock or (lambda: datetime.now().astimezone())
        self._slots = asyncio.Semaphore(max_running)
        self._starting = asyncio.Lock()
        self._items: dict[str, Rehearsal] = {}
        self._drafts: dict[str, Draft] = {}

    # drafts (an uploaded file, before its rule values are chosen)

    def add_draft(self, source: str, scenario: Scenario, created_by: str) -> Draft:
        draft = Draft(uuid.uuid4().hex[:12], source, scenario, created_by)
        self._drafts[draft.id] = draft
        while len(self._drafts) > KEEP:
            self._drafts.pop(next(iter(self._drafts)))
        return draft

    def draft(self, draft_id: str) -> Draft:
        found = self._drafts.get(draft_id)
        if found is None:
            raise DomainError(
                ErrorCode.NOT_FOUND, "预演草稿不存在（可能已过期），请重新上传情景文件"
            )
        return found

    # rehearsals

    def all(self) -> list[Rehearsal]:
        return sorted(self._items.values(), key=lambda r: r.created_at, reverse=True)

    def get(self, rehearsal_id: str) -> Rehearsal:
        found = self._items.get(rehearsal_id)
        if found is None:
            raise DomainError(ErrorCode.NOT_FOUND, "预演不存在（服务重启后预演记录不保留）")
        return found

    def active(self) -> int:
        return sum(1 for r in self._items.values() if not r.finished)

    def start(
        self, source: str, scenario: Scenario, overrides: Mapping[str, Any], created_by: str
    ) -> Rehearsal:
        """Queue a rehearsal (refused with `rate_limited` when the queue is full, with
        `invalid_rules` when the overrides do not make rules); it starts when a slot frees."""
        if self.active() >= self.max_running + self.max_waiting:
            raise DomainError(
                ErrorCode.RATE_LIMITED,
                f"已有 {self.active()} 个预演在运行或排队（最多同时运行 {self.max_running} 个、"
                f"排队 {self.max_waiting} 个），请等其中一个完成后再开始",
            )
        try:
            load_rules(merged_rules(scenario.rules, overrides))
        except RulesError as err:
            raise DomainError(ErrorCode.INVALID_RULES, str(err)) from None
        rehearsal = Rehearsal(
            id=uuid.uuid4().hex[:12],
            source=source,
            scenario=scenario,
            overrides=dict(overrides),
            created_by=created_by,
            created_at=self._clock(),
            steps=2 * len(scenario.actions),
        )
        self._items[rehearsal.id] = rehearsal
        self._forget_old()
        rehearsal.task = asyncio.create_task(self._execute(rehearsal))
        return rehearsal

    def _forget_old(self) -> None:
        finished = sorted(self._items.values(), key=lambda r: r.created_at)
        finished = [r for r in finished if r.finished]
        while len(self._items) > KEEP and finished:
            self._items.pop(finished.pop(0).id)

    async def wait(self, rehearsal_id: str) -> Rehearsal:
        """Until the rehearsal has finished (tests, the bench)."""
        rehearsal = self.get(rehearsal_id)
        if rehearsal.task is not None:
            await asyncio.shield(rehearsal.task)
        return rehearsal

    async def close(self) -> None:
        """Stop what still runs (the app's shutdown)."""
        for rehearsal in self._items.values():
            if rehearsal.task is not None and not rehearsal.task.done():
                rehearsal.task.cancel()
        for rehearsal in self._items.values():
            if rehearsal.task is not None:
                try:
                    await rehearsal.task
                except asyncio.CancelledError:
                    pass

    async def _execute(self, rehearsal: Rehearsal) -> None:
        loop = asyncio.get_running_loop()
        async with self._slots:
            started = loop.time()
            try:
                changed = rehearsal.scenario.model_copy(
                    update={"rules": merged_rules(rehearsal.scenario.rules, rehearsal.overrides)}
                )
                if self.parallel:
                    rehearsal.state = "running_both"
                    await asyncio.gather(
                        self._one(rehearsal.scenario, rehearsal.base),
                        self._one(changed, rehearsal.variant),
                    )
                else:
                    rehearsal.state = "running_base"
                    await self._one(rehearsal.scenario, rehearsal.base)
                    rehearsal.state = "running_variant"
                    await self._one(changed, rehearsal.variant)
                rehearsal.rows = differences(rehearsal.base.outcome, rehearsal.variant.outcome)
                rehearsal.state = "done"
            except asyncio.CancelledError:
                rehearsal.state, rehearsal.error = "failed", "服务停止，预演中断"
                raise
            except ScenarioError as err:
                rehearsal.state, rehearsal.error = "failed", f"情景无法运行：{err}"
            except Exception as err:  # a failed run is the rehearsal's result, never a 500
                rehearsal.state = "failed"
                rehearsal.error = f"运行失败：{type(err).__name__}: {err}"
            finally:
                rehearsal.seconds = loop.time() - started

    async def _one(self, scenario: Scenario, run: Run) -> None:
        """One run. Runs start one at a time: until a run reaches its first action (its
        database migrated, its server up, its records registered) the next waits, because
        Alembic's migration context is global to the process and two upgrades in threads
        at once collide."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        await self._starting.acquire()
        holding = True

        def on_step(step: int) -> None:
            nonlocal holding
            run.step = step
            if holding:
                holding = False
                self._starting.release()

        tracked = scenario.model_copy()
        tracked.actions = _Steps(list(scenario.actions), on_step)

        async def inspect(finished: Finished) -> None:
            from db.repositories import cycles
            from services.timelines import cycle_svg

            run.database = str(finished.sessions.kw["bind"].url)
            config = finished.client.service_client.config
            run.temporal = f"{config.target_host}/{finished.client.namespace}"
            async with finished.sessions() as session:
                for cycle in await session.run_sync(cycles.cycles):
                    run.timelines.append(
                        (f"{cycle.year}年度评审周期", cycle_svg(cycle, finished.now.date()))
                    )

        try:
            outcome = await self._runner(tracked, progress=False, inspect=inspect, throwaway=True)
        finally:
            if holding:
                holding = False
                self._starting.release()
        run.step = len(scenario.actions)
        run.outcome = outcome.to_json()
        run.seconds = loop.time() - started
