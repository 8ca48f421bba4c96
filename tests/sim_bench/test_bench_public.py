"""`qaward bench --public` at a tiny size: every public path is served and measured against
the hello-world, the console pages' hook measures what it lists, and the targets are named."""

from __future__ import annotations

import dataclasses
import re

import pytest

from sim import bench_public
from sim.bench import bench_command
from sim.bench_public_report import PageTime, PathSpeed, PublicSpeed

pytestmark = pytest.mark.sqlite_only


def test_bench_prints_every_public_path_against_the_hello_world(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QAWARD_BENCH_PUBLIC_SIZE", "3")
    code = bench_command([], http_commands=0, public_seconds=0.3)
    out = capsys.readouterr().out
    rows = {
        cells[0]: cells[1:]
        for line in out.splitlines()
        if line.startswith("| /")
        for cells in [[c.strip() for c in line.strip().strip("|").split("|")]]
    }
    assert set(rows) == {*bench_public.PUBLIC_PATHS, "/public/notices (If-None-Match → 304)"}
    for rate, hello, ratio in rows.values():
        assert float(rate.replace(",", "")) > 0
        assert float(hello.replace(",", "")) > 0
        assert re.fullmatch(r"\d+\.\d\d", ratio)
    assert "- /console/cycles: " in out
    assert code == (1 if "未达标 / targets missed" in out else 0)


async def test_console_pages_listed_are_fetched_signed_in_and_timed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QAWARD_BENCH_PUBLIC_SIZE", "3")
    monkeypatch.setattr(bench_public, "CONSOLE_PAGES", ["/organizations", "/public/honors"])
    monkeypatch.setattr(bench_public, "PAGE_REQUESTS", 5)
    speed = await bench_public.measure_public(0.2)
    assert [p.path for p in speed.pages] == ["/organizations", "/public/honors"]
    assert all(0 < p.p50_ms <= p.p95_ms for p in speed.pages)
    assert all(p.errors == 0 for p in speed.paths)
    assert speed.conditional is not None
    assert speed.conditional.rate > 0


def test_each_missed_public_target_is_named_and_results_survive_their_json() -> None:
    speed = PublicSpeed(
        paths=[PathSpeed("/public/a", 900.0, 1000.0), PathSpeed("/public/b", 400.0, 1000.0)],
        pages=[PageTime("/console/x", 40.0, 149.0), PageTime("/console/y", 90.0, 151.0)],
        seconds=3.0,
    )
    missed = speed.misses()
    assert len(missed) == 2
    assert missed[0].startswith("/public/b 400 次/秒")
    assert "0.40" in missed[0]
    assert missed[1].startswith("/console/y p95 151 ms")
    assert PublicSpeed.from_json(dataclasses.asdict(speed)) == speed
    assert "| /public/a | 900 | 1,000 | 0.90 |" in speed.render()
    assert PublicSpeed(error="boom").misses() == [
        "公开页面测速失败 / the public speed run failed: boom"
    ]
