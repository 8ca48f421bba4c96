"""The public speed's results (`sim.bench_public`) and how `qaward bench` prints them; apart
from the measurement, so that the bench's other processes do not load the API to read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONNECTIONS = 16
"""Keep-alive connections of the load generator."""
RATIO_TARGET = 0.5
"""Public pages at least half the hello-world's requests per second (issue #14)."""
PAGE_P95_TARGET_MS = 150.0
"""Console pages' p95 (issue #14)."""


@dataclass
class PathSpeed:
    path: str
    rate: float
    hello_rate: float
    errors: int = 0

    @property
    def ratio(self) -> float:
        return self.rate / self.hello_rate if self.hello_rate > 0 else 0.0


@dataclass
class PageTime:
    path: str
    p50_ms: float
    p95_ms: float


@dataclass
class PublicSpeed:
    paths: list[PathSpeed] = field(default_factory=list)
    conditional: PathSpeed | None = None
    pages: list[PageTime] = field(default_factory=list)
    connections: int = CONNECTIONS
    seconds: float = 0.0
    error: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PublicSpeed:
        conditional = data.get("conditional")
        return cls(
            paths=[PathSpeed(**p) for p in data.get("paths", [])],
            conditional=PathSpeed(**conditional) if conditional else None,
            pages=[PageTime(**p) for p in data.get("pages", [])],
            connections=data.get("connections", CONNECTIONS),
            seconds=data.get("seconds", 0.0),
            error=data.get("error", ""),
        )

    def misses(self) -> list[str]:
        if self.error:
            return [f"公开页面测速失败 / the public speed run failed: {self.error}"]
        found = [
            f"{p.path} {p.rate:.0f} 次/秒，为 hello-world 的 {p.ratio:.2f} 倍 < {RATIO_TARGET}"
            f" / public speed target"
            for p in self.paths
            if p.ratio < RATIO_TARGET or p.errors
        ]
        found += [
            f"{p.path} p95 {p.p95_ms:.0f} ms ≥ {PAGE_P95_TARGET_MS:.0f} ms / console page target"
            for p in self.pages
            if p.p95_ms >= PAGE_P95_TARGET_MS
        ]
        return found

    def render(self) -> str:
        if self.error:
            return f"公开页面 / public speed: 失败 / failed: {self.error}"
        lines = [
            f"公开页面吞吐 / public speed ({self.connections} 个连接 / connections,"
            f" 每项 / each {self.seconds:g} s，uvicorn + uvloop + httptools，1 worker)：",
            "",
            "| path | req/s | hello-world req/s | ratio |",
            "|---|---:|---:|---:|",
        ]
        rows = [*self.paths, *([self.conditional] if self.conditional else [])]
        for p in rows:
            lines.append(f"| {p.path} | {p.rate:,.0f} | {p.hello_rate:,.0f} | {p.ratio:.2f} |")
        lines += ["", "控制台页面 / console pages (p50 / p95 ms):"]
        if not self.pages:
            lines.append("- 未列出 / none listed (`sim.bench_public.CONSOLE_PAGES`)")
        lines += [f"- {p.path}: {p.p50_ms:.1f} / {p.p95_ms:.1f}" for p in self.pages]
        return "\n".join(lines)
