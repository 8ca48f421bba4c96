"""`qaward simulate --compare RULES.yaml SCENARIO.yaml`: one scenario under two rule sets.

The scenario runs under its own rules, then again with RULES.yaml deep-merged over them
(the same keys as a scenario's `rules:`, DESIGN.md §5.1), each on a time-skipping server of
its own, so nothing live is touched. What differs is printed side by side: each
application's outcome and scores, the winners per award, the honors with their bonus and
dates, and actions one rule set refused and the other did not. `differences` is pure (two
outcome JSON documents in, rows out) so it is tested without running anything.
"""

from __future__ import annotations

import asyncio
import json
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from domain.names import AWARD_NAMES, OUTCOME_NAMES, name_of
from domain.rules import RulesError, load_rules
from sim.runner import run_scenario
from sim.scenario import Scenario, ScenarioError, parse_scenario

APPLICATION_FIELDS = {
    "outcome": "结果",
    "document_score": "资料评审得分",
    "site_score": "现场评审得分",
    "total_score": "总分",
}
HONOR_FIELDS = {
    "bonus_cny": "奖金（元）",
    "awarded_on": "获奖日期",
    "valid_until": "有效期至",
    "revocation_window_closes": "可撤销期至",
    "reapply_from": "可再次申报",
    "status": "状态",
}


@dataclass(frozen=True)
class Difference:
    subject: str
    """Whose figure: `2025 P3 质量奖`."""
    what: str
    base: str
    variant: str


def merged_rules(own: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """`overrides` deep-merged over the scenario's own rule overrides."""
    merged = dict(own)
    for key, value in overrides.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = merged_rules(current, value)
        else:
            merged[key] = value
    return merged


def _shown(field: str, value: Any) -> str:
    if value is None:
        return "—"
    if field == "outcome":
        return name_of(str(value), OUTCOME_NAMES) or str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def _award(code: str) -> str:
    return name_of(code, AWARD_NAMES) or code


def _applications(outcome: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    rows = {}
    for cycle in outcome.get("cycles", []):
        for app in cycle.get("applications", []):
            rows[f"{cycle['year']} {app['organization']} {_award(app['award'])}"] = app
    return rows


def _winners(outcome: Mapping[str, Any]) -> dict[str, list[str]]:
    return {
        f"{cycle['year']} {_award(award)}": names
        for cycle in outcome.get("cycles", [])
        for award, names in (cycle.get("winners") or {}).items()
    }


def _honors(outcome: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{h['year']} {h['organization']} {_award(h['award'])}称号": h
        for h in outcome.get("honors", [])
    }


def _refusals(outcome: Mapping[str, Any]) -> dict[str, str]:
    return {f"第{r['index']}步 {r['do']}": r["error"] for r in outcome.get("rejected", [])}


def _fields(
    base: Mapping[str, Mapping[str, Any]],
    variant: Mapping[str, Mapping[str, Any]],
    fields: Mapping[str, str],
    absent: str,
) -> Iterator[Difference]:
    for subject in sorted(base.keys() | variant.keys()):
        one, other = base.get(subject), variant.get(subject)
        if one is None or other is None:
            yield Difference(subject, absent, "有" if one else "无", "有" if other else "无")
            continue
        for field, label in fields.items():
            if one.get(field) != other.get(field):
                yield Difference(
                    subject, label, _shown(field, one.get(field)), _shown(field, other.get(field))
                )


def differences(base: Mapping[str, Any], variant: Mapping[str, Any]) -> list[Difference]:
    """Every figure that differs between the two runs' outcomes, in a stable order."""
    rows = list(_fields(_applications(base), _applications(variant), APPLICATION_FIELDS, "申报"))
    winners, other = _winners(base), _winners(variant)
    for subject in sorted(winners.keys() | other.keys()):
        if winners.get(subject, []) != other.get(subject, []):
            rows.append(
                Difference(
                    subject,
                    "获奖组织",
                    _shown("winners", winners.get(subject, [])),
                    _shown("winners", other.get(subject, [])),
                )
            )
    rows += _fields(_honors(base), _honors(variant), HONOR_FIELDS, "称号")
    refused, refused_other = _refusals(base), _refusals(variant)
    for step in sorted(refused.keys() | refused_other.keys()):
        if refused.get(step) != refused_other.get(step):
            rows.append(
                Difference(
                    step,
                    "被拒绝",
                    refused.get(step, "—（执行）"),
                    refused_other.get(step, "—（执行）"),
                )
            )
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[Difference]) -> str:
    """The differences as an aligned text table (CJK characters count double)."""
    if not rows:
        return "两套规则下的结果完全相同。\n"
    head = Difference("对象", "项目", "原规则", "新规则")
    cells = [(r.subject, r.what, r.base, r.variant) for r in [head, *rows]]
    widths = [max(_width(c[i]) for c in cells) for i in range(4)]
    lines = [
        "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


async def compare(scenario: Scenario, overrides: Mapping[str, Any]) -> list[Difference]:
    changed = scenario.model_copy(update={"rules": merged_rules(scenario.rules, overrides)})
    try:  # refused before either run starts
        load_rules(changed.rules)
    except RulesError as err:
        raise ScenarioError(f"rules: {err}") from None
    base = await run_scenario(scenario, progress=False, throwaway=True)
    variant = await run_scenario(changed, progress=False, throwaway=True)
    return differences(base.to_json(), variant.to_json())


def compare_command(rules_path: str, scenario_path: str, as_json: bool = False) -> int:
    try:
        overrides = yaml.safe_load(Path(rules_path).read_text(encoding="utf-8")) or {}
        text = Path(scenario_path).read_text(encoding="utf-8")
    except (OSError, yaml.YAMLError) as err:
        print(f"错误：无法读取文件 / error: cannot read: {err}", file=sys.stderr)
        return 2
    if not isinstance(overrides, Mapping):
        print(f"错误：{rules_path}：规则文件应为键值映射", file=sys.stderr)
        return 2
    try:
        rows = asyncio.run(compare(parse_scenario(text), overrides))
    except ScenarioError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2
    if as_json:
        json.dump([r.__dict__ for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(table(rows))
    return 0
