"""`qaward bench`'s figures, targets and tables: one size's result (`SizeResult`), the
command latency (`Latency`), and the Markdown the command prints."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

WALL_TARGET_S = 120.0
WALL_TARGET_SIZE = 1000
HISTORY_TARGET = 10_240
RATIO_TARGET = 1.5
RATIO_TARGET_SIZE = 1000
PAYLOAD_TARGET_BYTES = 256 * 1024
HTTP_RATIO_TARGET = 1.3
COMMANDS = 200
"""HTTP commands timed (and as many raw updates), after a warm-up."""


@dataclass
class SizeResult:
    """One size's figures (zero where a failed run had none); the JSON a size's process prints."""

    size: int
    wall_s: float = 0.0
    setup_s: float = 0.0
    peak_rss_mb: float = 0.0
    python_rss_mb: float = 0.0
    server_rss_mb: float = 0.0
    largest_history: int = 0
    runs: int = 0
    floor_s: float = 0.0
    starts: int = 0
    updates: int = 0
    signals: int = 0
    activities: int = 0
    timers: int = 0
    floor_updates: int = 0
    floor_activities: int = 0
    floor_timers: int = 0
    floor_largest_history: int = 0
    rejected: int = 0
    honors: int = 0
    load_avg: float = 0.0
    """1-minute load average at the end: other work on the machine slows every figure."""
    wall_runs: list[float] = field(default_factory=list)
    floor_runs: list[float] = field(default_factory=list)
    """Each repetition's wall time, ours and the floor's (`wall_s`, `floor_s`: their medians)."""
    largest_payload_bytes: int = 0
    largest_payload_kind: str = ""
    largest_payload_workflow: str = ""
    """The largest single payload in any history of the run (`sim.bench_payloads`)."""
    error: str = ""
    """Why the size failed (our run raised, the process died or ran out of time): the figures
    are then what the histories showed up to that point, or zero when there were none."""

    @classmethod
    def failed(cls, size: int, error: str) -> SizeResult:
        """A size whose process gave no result: every figure zero."""
        return cls(size=size, error=error)

    @property
    def has_floor(self) -> bool:
        return self.floor_s > 0

    @property
    def ratio(self) -> float:
        return self.wall_s / self.floor_s if self.has_floor else float("inf")

    def misses(self) -> list[str]:
        found = []
        if self.error:
            found.append(f"{self.size}: 运行失败 / the run failed: {self.error}")
        if not self.error and self.size == WALL_TARGET_SIZE and self.wall_s >= WALL_TARGET_S:
            found.append(
                f"{self.size}: 用时 {self.wall_s:.1f} s ≥ {WALL_TARGET_S:.0f} s / wall time target"
            )
        if self.largest_history >= HISTORY_TARGET:
            found.append(
                f"{self.size}: 最大历史 {self.largest_history} ≥ {HISTORY_TARGET} 事件"
                " / largest history target"
            )
        if self.largest_payload_bytes > PAYLOAD_TARGET_BYTES:
            found.append(
                f"{self.size}: 最大载荷 {self.largest_payload_bytes} 字节 > "
                f"{PAYLOAD_TARGET_BYTES} ({self.largest_payload_kind}, "
                f"{self.largest_payload_workflow}) / largest payload target"
            )
        if self.size == RATIO_TARGET_SIZE and not self.error and self.ratio > RATIO_TARGET:
            found.append(
                f"{self.size}: 与引擎下限之比 {self.ratio:.2f} > {RATIO_TARGET}"
                " / ratio to the engine floor target"
            )
        if self.rejected:
            found.append(f"{self.size}: {self.rejected} 个动作被拒绝 / actions refused")
        return found


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (1 ≤ q ≤ 99), interpolated between the nearest ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


@dataclass
class Latency:
    """An HTTP cycle command against the raw update round trip of the same command (sent
    straight to its workflow by the Temporal client) and a no-op update, side by side (ms).

    `raw_*` are the no-op update's (the names are older than the target's reading)."""

    count: int = 0
    http_p50_ms: float = 0.0
    http_p95_ms: float = 0.0
    raw_p50_ms: float = 0.0
    raw_p95_ms: float = 0.0
    command: str = ""
    error: str = ""
    direct_p50_ms: float = 0.0
    """The raw update: the same command's update sent straight to the workflow (no HTTP,
    no API). The target is the HTTP command's p50 over this one's."""
    direct_p95_ms: float = 0.0

    @classmethod
    def of(
        cls,
        command: str,
        http_ms: Sequence[float],
        raw_ms: Sequence[float],
        direct_ms: Sequence[float] = (),
    ) -> Latency:
        return cls(
            count=len(http_ms),
            http_p50_ms=statistics.median(http_ms),
            http_p95_ms=percentile(http_ms, 95),
            raw_p50_ms=statistics.median(raw_ms),
            raw_p95_ms=percentile(raw_ms, 95),
            command=command,
            direct_p50_ms=statistics.median(direct_ms) if direct_ms else 0.0,
            direct_p95_ms=percentile(direct_ms, 95) if direct_ms else 0.0,
        )

    @property
    def ratio(self) -> float:
        """The target: the HTTP command's p50 over the raw update's, the same command sent
        straight to its workflow (what the API and HTTP add to the command)."""
        return self.http_p50_ms / self.direct_p50_ms if self.direct_p50_ms > 0 else float("inf")

    @property
    def noop_ratio(self) -> float:
        """For information: the HTTP command's p50 over a no-op update's (the engine's own
        round trip; a command that answers after its write is at least about 1.55 ×)."""
        return self.http_p50_ms / self.raw_p50_ms if self.raw_p50_ms > 0 else float("inf")

    def misses(self) -> list[str]:
        if self.error:
            return [f"HTTP 命令延迟测量失败 / the command latency run failed: {self.error}"]
        if self.ratio > HTTP_RATIO_TARGET:
            return [
                f"HTTP 命令 p50 {self.http_p50_ms:.1f} ms 为原始更新 {self.direct_p50_ms:.1f} ms"
                f" 的 {self.ratio:.2f} 倍 > {HTTP_RATIO_TARGET} / HTTP command latency target"
            ]
        return []


def _cell(value: float, digits: int, present: bool = True) -> str:
    return f"{value:.{digits}f}" if present else "—"


def render(
    results: Sequence[SizeResult], latency: Latency | None = None, *, floor_same: bool = False
) -> str:
    """The tables; `floor_same`: the floor ran on our run's server (`QAWARD_BENCH_FLOOR`)."""
    lines = [
        "## 性能基准 / qaward bench",
        "",
        "| 申报数 size | 用时 wall s | 峰值内存 peak RSS MB | 最大历史 largest history"
        " events | 最大载荷 largest payload bytes | 引擎下限 floor s | 比值 ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ran = not r.error
        lines.append(
            f"| {r.size} | {_cell(r.wall_s, 1, ran)} | {_cell(r.peak_rss_mb, 0, ran)} "
            f"| {r.largest_history} | {r.largest_payload_bytes} "
            f"| {_cell(r.floor_s, 1, r.has_floor)} | {_cell(r.ratio, 2, r.has_floor)} |"
        )
    lines += ["", "| 申报数 size | 最大载荷来源 largest payload: kind | 工作流 workflow |"]
    lines.append("|---:|---|---|")
    for r in results:
        lines.append(f"| {r.size} | {r.largest_payload_kind} | {r.largest_payload_workflow} |")
    lines += [
        "",
        "| 申报数 size | 工作流启动 starts | 运行数 runs | 更新 updates | 信号 signals"
        " | 活动 activities | 计时器 timers | Python RSS MB | 测试服务器 server RSS MB"
        " | 负载 load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.size} | {r.starts} | {r.runs} | {r.updates} | {r.signals} | {r.activities} "
            f"| {r.timers} | {r.python_rss_mb:.0f} | {r.server_rss_mb:.0f} | {r.load_avg:.1f} |"
        )
    failed = [r for r in results if r.error]
    if failed:
        lines += ["", "失败 / failed (figures are what its histories showed):"]
        lines += [f"- {r.size}: {r.error}" for r in failed]
    if latency is not None:
        lines += ["", _render_latency(latency)]
    lines += [
        "",
        f"目标 / targets: {WALL_TARGET_SIZE} 个申报 < {WALL_TARGET_S:.0f} s，"
        f"与引擎下限之比 ≤ {RATIO_TARGET}；每个规模最大历史 < {HISTORY_TARGET} 事件，"
        f"最大载荷 ≤ {PAYLOAD_TARGET_BYTES} 字节；"
        f"HTTP 命令 p50 ≤ {HTTP_RATIO_TARGET} × 原始更新（同一命令直接发送）p50",
        "引擎下限运行于"
        + (
            "同一测试服务器 / floor on our server"
            if floor_same
            else "全新测试服务器 / floor on a fresh test server"
        )
        + "；用时不含服务器启动与建库 / wall time excludes server start and migrations",
        "用时与引擎下限为交替运行的中位数（10 个申报 5 次，100 个 3 次，更大规模 1 次）"
        " / wall and floor: medians of alternating runs (5 at size 10, 3 at 100, 1 above)",
    ]
    return "\n".join(lines)


def _render_latency(latency: Latency) -> str:
    if latency.error:
        return f"命令延迟 / command latency: 失败 / failed: {latency.error}"
    return "\n".join(
        [
            f"命令延迟 / command latency ({latency.count} 次，交替 / alternating)：",
            "",
            "| 往返 round trip | p50 ms | p95 ms |",
            "|---|---:|---:|",
            f"| HTTP {latency.command} | {latency.http_p50_ms:.1f} | {latency.http_p95_ms:.1f} |",
            f"| 原始更新：同一命令直接发送 raw update: the same command, no HTTP"
            f" | {latency.direct_p50_ms:.1f} | {latency.direct_p95_ms:.1f} |",
            f"| 空更新 no-op update | {latency.raw_p50_ms:.1f} | {latency.raw_p95_ms:.1f} |",
            "",
            f"p50 比值 / ratio HTTP ÷ 原始更新 raw: {latency.ratio:.2f}"
            f"（目标 / target ≤ {HTTP_RATIO_TARGET}）；"
            f" HTTP ÷ 空更新 no-op: {latency.noop_ratio:.2f}（仅供参考 / for information）",
        ]
    )
