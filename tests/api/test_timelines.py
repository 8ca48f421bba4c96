"""Timelines served as SVG: a cycle's phases as they happen, an honor's years (issue #18)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from sim.scenario import parse_scenario
from tests.api.support import Api, error_code
from tests.api.world import A, B, open_cycle, pass_deadline, populate, wait_phase

NS = {"s": "http://www.w3.org/2000/svg"}


def span_titles(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.findall(".//s:g[@class='spans']/s:g/s:title", NS)]


async def test_a_cycle_timeline_grows_with_its_phases(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    path = f"/cycles/{year}/timeline.svg"
    answer = await api.get("org_a", path, expect=200)
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert [t.split("：")[0] for t in span_titles(answer.text)] == ["申报受理"]
    assert "申报截止" in answer.text
    await pass_deadline(api, year)
    await wait_phase(api, year, "qualification")
    svg = (await api.get("office", path, expect=200)).text
    titles = span_titles(svg)
    assert [t.split("：")[0] for t in titles] == ["申报受理", "资格审查"]
    assert titles[1].endswith("至 今")
    assert (await api.get(None, path)).status_code == 401


async def test_an_honor_timeline_is_its_holders_and_the_officials(api: Api) -> None:
    await populate(api)
    awarded_on = api.clock.today() - timedelta(days=400)
    body = {
        "credit_code": A,
        "award": "quality",
        "year": awarded_on.year,
        "awarded_on": awarded_on.isoformat(),
    }
    await api.post("office", "/honors/historical", json=body, expect=201)
    path = f"/honors/{A}/quality/{awarded_on.year}/timeline.svg"
    svg = (await api.get("org_a", path, expect=200)).text
    assert "可撤销期（§6(6)）" in svg
    assert "第1年跟踪报告" in svg
    assert (await api.get("office", path, expect=200)).text == svg
    other = await api.get("org_b", path)
    assert (other.status_code, error_code(other)) == (403, "forbidden")
    missing = await api.get("office", f"/honors/{B}/quality/{awarded_on.year}/timeline.svg")
    assert (missing.status_code, error_code(missing)) == (404, "honor_not_found")


async def test_a_live_cycle_exports_as_a_scenario_for_office_and_supervisor(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    await api.post("org_a", f"/cycles/{year}/applications", json={"award": "quality"}, expect=201)
    answer = await api.get("office", f"/cycles/{year}/scenario.yaml", expect=200)
    assert answer.headers["content-type"].startswith("application/yaml")
    scenario = parse_scenario(answer.text)
    assert [a.do for a in scenario.actions] == ["open_cycle", "apply", "snapshot"]
    assert A in scenario.organizations
    assert (await api.get("watch", f"/cycles/{year}/scenario.yaml")).status_code == 200
    refused = await api.get("org_a", f"/cycles/{year}/scenario.yaml")
    assert (refused.status_code, error_code(refused)) == (403, "forbidden")
