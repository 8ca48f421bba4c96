"""What names a whole list, seen through the API: the automatic shortlist's answer and the
committee's candidate list (issue #11 point 4: neither is carried whole in a workflow
payload any more; the list is read back from, or rendered from, the applications' rows).
The texts are the ones the service published before that change, byte for byte."""

from __future__ import annotations

from typing import Any

from tests.api.support import Api
from tests.api.world import (
    APPLICANTS,
    PANEL,
    A,
    B,
    C,
    assign,
    confirm_site_report,
    score,
    to_document_review,
    wait_phase,
)

DOCUMENT = {A: 700, B: 800, C: 650}
"""B scores best of the Quality applicants: the lists' order is not the order of intake."""


async def _notice(api: Api, kind: str) -> dict[str, Any]:
    [notice] = [
        n for n in (await api.get("office", "/notices", expect=200)).json() if n["kind"] == kind
    ]
    return dict(notice)


async def test_the_recommended_shortlist_and_the_candidate_list_name_everyone_in_order(
    api: Api,
) -> None:
    year = await to_document_review(api)
    for org, points in DOCUMENT.items():
        for n, reviewer in enumerate(PANEL):
            await score(api, year, org, "document", reviewer, points + 10 * n)
    listed = await api.post("office", f"/cycles/{year}/shortlist", json={"auto": True}, expect=200)
    assert listed.json() == {"shortlist": [B, A, C]}
    for org, user in APPLICANTS.items():
        await assign(api, year, org, "site", PANEL)
        for reviewer in PANEL:
            await score(api, year, org, "site", reviewer, 720)
        await confirm_site_report(api, year, org, user)
    await wait_phase(api, year, "committee")

    notice = await _notice(api, "candidate_list")
    assert (notice["title"], notice["audience"]) == (
        f"{year}年度质量奖候选名单已形成，请组织审查表决",
        "committee",
    )
    assert notice["body"] == (
        "按总分排序的候选组织：庆元县人民政府质量奖：庆元县测试企业2有限公司、"
        "庆元县测试企业1有限公司；庆元县人民政府质量奖创新奖：庆元县测试企业3有限公司。"
        "请县评委会审查并表决（§4(4)）。"
    )


async def test_the_recommended_shortlist_answers_only_those_it_took(api: Api) -> None:
    year = await to_document_review(api, rules={"shortlist": {"max_per_award": 1}})
    for org, points in DOCUMENT.items():
        for n, reviewer in enumerate(PANEL):
            await score(api, year, org, "document", reviewer, points + 10 * n)
    listed = await api.post("office", f"/cycles/{year}/shortlist", json={"auto": True}, expect=200)
    assert listed.json() == {"shortlist": [B, C]}
    left = await api.get("office", f"/cycles/{year}/applications/{A}", expect=200)
    assert left.json()["outcome"] == "not_shortlisted"
