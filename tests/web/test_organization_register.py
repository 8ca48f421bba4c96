"""The organizations register (组织) in pages with its search box: paged in the database,
searched by name or credit code, read by every official and written by the office only."""

from __future__ import annotations

import re

import pytest

from tests.api.support import Api
from tests.api.world import OUTSIDER, A, B, C, populate
from tests.web.support import Console
from tests.web.test_second_half_access import assert_forbidden, post_as
from web.pages import registry

REGISTER = "/console/organizations"


def listed(page: str) -> list[str]:
    """The credit codes of the register's rows, in order."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr><td><a href="/console/organizations/([^"]+)">', body)


async def test_the_register_pages_in_credit_code_order_and_searches(
    console: Console, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "ORGANIZATIONS_PAGE_SIZE", 3)
    await populate(api)
    everyone = sorted([A, B, C, OUTSIDER])
    await console.sign_in("office")
    first = await console.get("office", REGISTER)
    assert listed(first.text) == everyone[:3]
    assert "第 1–3 项，共 4 项 · 第 1/2 页" in first.text
    assert f'href="{REGISTER}?page=2"' in first.text
    assert f'method="post" action="{REGISTER}"' in first.text  # the office registers here
    second = await console.get("office", f"{REGISTER}?page=2")
    assert listed(second.text) == everyone[3:]
    assert "上一页" in second.text
    assert "下一页" not in second.text
    assert listed((await console.get("office", f"{REGISTER}?page=99")).text) == everyone[3:]
    assert listed((await console.get("office", f"{REGISTER}?page=x")).text) == everyone[:3]

    by_name = await console.get("office", REGISTER, params={"q": "测试企业2"})
    assert listed(by_name.text) == [B]
    assert "共 1 项（全部 4 项）" in by_name.text
    assert 'value="测试企业2"' in by_name.text  # the search box keeps what was typed
    by_code = await console.get("office", REGISTER, params={"q": C[-8:].lower()})
    assert listed(by_code.text) == [C]
    wide = await console.get("office", REGISTER, params={"q": "有限公司", "page": "2"})
    assert listed(wide.text) == everyone[3:]
    assert f'href="{REGISTER}?q=%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8&amp;page=1"' in wide.text
    none = await console.get("office", REGISTER, params={"q": "100%_"})
    assert listed(none.text) == []
    assert "没有名称或信用代码含“100%_”的组织" in none.text


@pytest.mark.parametrize("user", ["watch", "secretary", "county"])
async def test_every_official_reads_the_register_and_only_the_office_registers(
    console: Console, api: Api, user: str
) -> None:
    await populate(api)
    await console.sign_in(user)
    page = await console.get(user, REGISTER, params={"q": "测试企业1"})
    assert page.status_code == 200
    assert listed(page.text) == [A]
    assert f'method="post" action="{REGISTER}"' not in page.text
    assert_forbidden(await post_as(console, user, REGISTER))


@pytest.mark.parametrize("user", ["rev1", "org_a"])
async def test_reviewers_and_applicants_do_not_read_the_register(
    console: Console, api: Api, user: str
) -> None:
    await populate(api)
    await console.sign_in(user)
    assert_forbidden(await console.get(user, REGISTER, params={"q": "测试"}))
