"""A rehearsal in a real browser: the office opens it from a live cycle's page, gives the
Quality Award one place (a wrong value first), waits on the self-refreshing progress page
and reads that B, voted through under the cycle's rules, is not with one place. Saves
`docs/screenshots/rehearsal.png`."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.api.support import OFFICE, Api
from tests.web.browser import People, chromium, fill_form, served, shot
from tests.web.test_rehearsal_pages import live_cycle

pytestmark = pytest.mark.sqlite_only  # browser work: once, in the SQLite pass


async def test_the_office_rehearses_a_cycle_in_a_browser(app: FastAPI, api: Api) -> None:
    year = await live_cycle(api)
    async with served(app) as base, chromium() as browser:
        people = People(browser, base, {OFFICE[0]: OFFICE[1]})
        try:
            page = await people.open("office", f"/console/cycles/{year}")
            async with page.expect_navigation():
                await page.click("text=用变更后的规则预演本周期")
            assert "/console/rehearsals/new" in page.url
            quota = page.locator('input[name="quality.quota"]')
            assert await quota.input_value() == "3"
            await fill_form(page, "/console/rehearsals", {"quality.quota": "0"}, refused=True)
            error = page.locator('[id="quality.quota-error"]')
            assert "不能小于 1" in await error.inner_text()
            assert await page.locator('input[name="publicity.days"]').input_value() == "7"

            await fill_form(page, "/console/rehearsals", {"quality.quota": "1"})
            assert "/console/rehearsals/" in page.url
            status = await page.locator("#state").inner_text()
            assert status in ("排队等待", "按原规则和新规则同时运行中", "已完成")
            # The page refreshes itself (no script needed) until the result is there.
            await page.locator("#differences").wait_for(timeout=120_000)
            assert await page.locator("#state").inner_text() == "已完成"
            changed = page.locator("#applications tr.changed")
            assert await changed.count() == 1
            name_a, name_b = "庆元县测试企业1有限公司", "庆元县测试企业2有限公司"  # A's, B's
            assert f"{year} {name_b} 质量奖" in await changed.first.inner_text()
            assert await changed.first.locator("td.diff").count() >= 1
            unchanged = page.locator(f'#applications tr:has(th:text-is("{year} {name_a} 质量奖"))')
            assert await unchanged.get_attribute("class") is None
            winners = await page.locator("#winners tr.changed").first.inner_text()
            assert name_a in winners
            assert name_b in winners
            images = page.locator("#timelines img")
            assert await images.count() == 2
            for n in range(2):
                width = await images.nth(n).evaluate("img => img.complete && img.naturalWidth")
                assert isinstance(width, int)
                assert width > 0
            await shot(page, "rehearsal")
        finally:
            await people.close()
