"""What a clerk hits on the first day (issue #13): rounded scores, input checks, the
preliminary eligibility result, Chinese errors and names, and times in Asia/Shanghai."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.support import Api, credit_code, error_code, organization
from tests.api.world import A, B, open_cycle, populate, score, to_document_review, to_publicity


def _message(response: object) -> str:
    return str(response.json()["error"]["message"])  # type: ignore[attr-defined]


async def test_scores_are_output_rounded_half_up_to_one_decimal(api: Api) -> None:
    year = await to_document_review(api)
    for reviewer, points in (("R1", 700.5), ("R2", 690), ("R3", 680)):
        await score(api, year, A, "document", reviewer, points)  # mean 690.1666…
    scores = (await api.get("office", f"/cycles/{year}/applications/{A}/scores/document")).json()
    assert scores["stage_score"] == 690.2
    assert sorted(line["total"] for line in scores["scores"]) == [680.0, 690.0, 700.5]
    app = (await api.get("office", f"/cycles/{year}/applications/{A}", expect=200)).json()
    assert app["document_score"] == 690.2


async def test_objections_need_content_and_a_phone_or_email_and_times_are_shanghai(
    api: Api,
) -> None:
    year = await to_publicity(api)
    body = {"credit_code": A, "name": "李某", "contact": "13800000000", "content": "反映问题"}
    for change, problem in (
        ({"content": "  "}, "异议内容"),
        ({"contact": "县城某路1号"}, "电话号码或电子邮箱"),
        ({"contact": "12"}, "电话号码或电子邮箱"),
    ):
        response = await api.post(None, "/public/objections", json=body | change)
        assert (response.status_code, error_code(response)) == (422, "invalid_objection")
        assert problem in _message(response)
        assert response.json()["error"]["rule"] == "3.3"
    for contact in ("0578-1234567", "li.mou@example.cn"):
        await api.post(None, "/public/objections", json=body | {"contact": contact}, expect=201)
    objection = (await api.get("office", f"/cycles/{year}/objections", expect=200)).json()[0]
    assert objection["received_at"].endswith("+08:00")
    publicity = (await api.get(None, "/public/publicity", expect=200)).json()
    assert publicity["closes"].endswith("T00:00:00+08:00")
    assert publicity["phase_name"] == "社会公示"
    page = (await api.get(None, "/public/objection", expect=200)).text
    assert "+00:00" not in page
    assert "（北京时间）" in page
    vote = {"award": "quality", "present": 9, "ballots": {A: {"yes": 9, "no": 0, "abstain": 0}}}
    refused = await api.post("secretary", f"/cycles/{year}/votes", json=vote, expect=409)
    assert refused.json()["error"]["rule"] == "§4(4)"


async def test_mu_efficiency_grades_are_a_to_d_only(api: Api) -> None:
    refused = await api.post(
        "office", "/organizations", json=organization(5, mu_efficiency={"2024": "E"})
    )
    assert (refused.status_code, error_code(refused)) == (422, "invalid_input")
    assert "亩均效益评价档次须为A、B、C、D之一" in _message(refused)
    assert refused.json()["error"]["fields"][0]["field"] == "mu_efficiency.2024"
    body = organization(5, mu_efficiency={"2024": "b"})
    await api.post("office", "/organizations", json=body, expect=201)
    shown = (await api.get("office", f"/organizations/{credit_code(5)}", expect=200)).json()
    assert shown["mu_efficiency"] == {"2024": "B"}
    assert shown["industry_name"] == "制造业"


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\x85", "\u202e", "\u2067"])
async def test_control_characters_are_refused_in_names_and_codes(api: Api, bad: str) -> None:
    for path, body in (
        ("/organizations", organization(5, name=f"庆元县{bad}某公司")),
        ("/reviewers", {"code": f"R{bad}9", "name": "某"}),
        ("/reviewers", {"code": "R9", "name": f"张{bad}某"}),
        ("/users", {"username": "clerk", "password": "long-enough", "role": "office",
                    "display_name": f"王{bad}某"}),
    ):  # fmt: skip
        response = await api.post("office", path, json=body)
        assert (response.status_code, error_code(response)) == (422, "invalid_input"), path
        assert "不得包含控制字符" in _message(response), path


async def test_a_refused_body_is_explained_in_chinese_with_the_allowed_values(api: Api) -> None:
    response = await api.post("office", "/organizations", json=organization(5, industry="mining"))
    assert (response.status_code, error_code(response)) == (422, "invalid_input")
    assert "detail" not in response.json()
    message = _message(response)
    assert message.startswith("输入无效：industry（所属行业）：取值不在允许范围内，可选值：")
    assert "manufacturing（制造业）" in message
    assert "digital_economy（数字经济）" in message
    problem = message.removeprefix("输入无效：industry（所属行业）：")
    assert response.json()["error"]["fields"] == [
        {"field": "industry", "label": "所属行业", "message": problem}
    ]
    await populate(api)
    year = await open_cycle(api)
    wrong = await api.post("org_a", f"/cycles/{year}/applications", json={"award": "gold"})
    assert "quality（质量奖）、innovation（创新奖）" in _message(wrong)
    missing = await api.post("office", "/cycles", json={"year": year + 1})
    assert "application_deadline（申报截止日期）：缺少必填项" in _message(missing)


async def test_errors_say_it_once_cite_the_command_and_name_today(api: Api) -> None:
    today = api.clock.today()
    later = (today + timedelta(days=30)).isoformat()
    rules = {"year": today.year + 1, "application_deadline": later,
             "rules": {"panel": {"min_size": "many"}}}  # fmt: skip
    refused = await api.post("office", "/cycles", json=rules, expect=422)
    assert _message(refused).startswith("评审规则配置无效：panel.min_size：")
    assert _message(refused).count("评审规则配置无效") == 1
    yesterday = (today - timedelta(days=1)).isoformat()
    past = await api.post(
        "office", "/cycles", json={"year": today.year, "application_deadline": yesterday}
    )
    assert f"今天（{today.isoformat()}）" in _message(past)
    await populate(api)
    year = await open_cycle(api)
    cycle = (await api.get("office", f"/cycles/{year}", expect=200)).json()
    assert (cycle["phase"], cycle["phase_name"]) == ("open", "申报受理")
    assert cycle["opened_at"].endswith("+08:00")
    vote = {"award": "quality", "present": 9, "ballots": {A: {"yes": 9, "no": 0, "abstain": 0}}}
    for user, path, body, rule in (
        ("secretary", f"/cycles/{year}/votes", vote, "§4(4)"),
        ("office", f"/cycles/{year}/close-stage", {"reason": "x"}, "§4(2)"),
        ("county", f"/cycles/{year}/approval", {}, "§4(6)"),
        ("office", f"/cycles/{year}/close-qualification", None, "§4(1)"),
    ):
        response = await api.post(user, path, json=body, expect=409)
        assert (error_code(response), response.json()["error"]["rule"]) == ("not_in_phase", rule)
    too_big = await api.http.post(
        "/cycles", content=b"x" * (2 * 1024 * 1024), headers=await api.as_("office")
    )
    assert (too_big.status_code, error_code(too_big)) == (413, "body_too_large")
    assert "1MB" in _message(too_big)


async def test_an_application_carries_its_preliminary_eligibility_at_once(api: Api) -> None:
    await populate(api)
    today = api.clock.today()
    young = organization(
        5,
        registered_on=(today - timedelta(days=400)).isoformat(),
        record=[{"on": (today - timedelta(days=30)).isoformat(), "kind": "failed_inspection"}],
    )
    await api.post("office", "/organizations", json=young, expect=201)
    year = await open_cycle(api)
    path = f"/cycles/{year}/applications"
    answer = await api.post(
        "office", path, json={"award": "quality", "credit_code": credit_code(5)}
    )
    assert answer.status_code == 201, answer.text
    for shown in (
        answer.json(),
        (await api.get("office", f"{path}/{credit_code(5)}", expect=200)).json(),
    ):
        assert shown["preliminary"] is True
        assert shown["eligible"] is None
        assert [(r["reason"], r["rule"], r["clause"]) for r in shown["reasons"]] == [
            ("registered_under_3_years", "E1", "§3(1)1"),
            ("failed_inspection", "E7", "§3(1)7"),
        ]
        assert shown["reasons"][0]["message"] == "注册登记并正常运营不满3年"
        assert (shown["award_name"], shown["outcome_name"]) == ("质量奖", "评审中")
        assert shown["submitted_at"].endswith("+08:00")
    fine = (await api.post("org_b", path, json={"award": "quality"}, expect=201)).json()
    assert (fine["preliminary"], fine["reasons"]) == (True, [])
    await api.clock.advance(timedelta(days=6))
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    decided = (await api.get("office", f"{path}/{credit_code(5)}", expect=200)).json()
    assert (decided["preliminary"], decided["eligible"]) == (False, False)
    assert decided["outcome_name"] == "资格审查未通过"
    assert {r["reason"] for r in decided["reasons"]} == {
        "registered_under_3_years",
        "failed_inspection",
    }
    qualification = await api.get("org_b", f"{path}/{B}/qualification", expect=200)
    assert (qualification.json()["preliminary"], qualification.json()["eligible"]) == (False, True)
