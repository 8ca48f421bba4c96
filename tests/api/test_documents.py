"""The documents of a whole cycle through the API (issue #15 items 5–6): what each one
says (text read back from the PDF, Word and Excel files), who may download it, the site
report confirmed by its digest, the feedback carried by its notice, and the same bytes
when a document is made again."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.api.support import Api, error_code
from tests.api.world import (
    APPLICANTS,
    PANEL,
    REVIEWER_USERS,
    A,
    B,
    C,
    apply_all,
    assign,
    confirm_site_report,
    open_cycle,
    pass_deadline,
    phase,
    populate,
    score,
    site_report,
    wait_phase,
)
from tests.documents.reading import docx_text, embedded_fonts, pdf_text, xlsx_sheets

NAMES = {A: "庆元县测试企业1有限公司", B: "庆元县测试企业2有限公司", C: "庆元县测试企业3有限公司"}


def _items(percent: int) -> dict[str, int]:
    from domain.scoring import rubric

    return dict.fromkeys(rubric().points, percent)


COMMENTS = {
    "4.1": {"strengths": "高层领导重视质量文化建设", "improvements": "治理结构的监督作用有待加强"},
    "4.7": {"strengths": "产品合格率连续三年提升", "improvements": ""},
}


def _dump(kind: str, data: bytes) -> None:
    """QAWARD_DOCUMENTS_DUMP=dir keeps each download there (for the README's previews)."""
    target = os.environ.get("QAWARD_DOCUMENTS_DUMP")
    if target:
        Path(target, kind).write_bytes(data)


async def _download(
    api: Api, user: str | None, year: int, kind: str, expect: int = 200, **q: Any
) -> bytes:
    query = "&".join(f"{k}={v}" for k, v in q.items())
    prefix = "/public" if user is None else ""
    response = await api.get(
        user, f"{prefix}/cycles/{year}/documents/{kind}?{query}", expect=expect
    )
    if expect == 200:
        _dump("-".join([kind, *map(str, q.values())]), response.content)
    return response.content


async def _notice(api: Api, user: str, kind: str) -> dict[str, Any]:
    found = [n for n in (await api.get(user, "/notices", expect=200)).json() if n["kind"] == kind]
    assert len(found) == 1, found
    return dict(found[0])


async def test_a_cycle_produces_its_documents_for_the_right_readers(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    deadline = api.clock.today() + timedelta(days=5)

    # The call for applications: public, Word and PDF, with the deadline.
    call_pdf = await _download(api, None, year, "call_for_applications", format="pdf")
    call_docx = await _download(api, None, year, "call_for_applications", format="docx")
    wanted = f"申报截止时间为{deadline.year}年{deadline.month}月{deadline.day}日24时"
    assert wanted in pdf_text(call_pdf)
    assert wanted in docx_text(call_docx)
    assert any(f.endswith("+Noto-Serif-CJK-SC") for f in embedded_fonts(call_pdf))

    await apply_all(api, year)
    await pass_deadline(api, year)
    form = await _download(api, "org_a", year, "application_form", credit_code=A)
    assert NAMES[A] in pdf_text(form)
    assert A in pdf_text(form)
    await _download(api, "org_b", year, "application_form", expect=404, credit_code=A)

    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    for org in APPLICANTS:
        await assign(api, year, org, "document", PANEL)
    path = f"/cycles/{year}/applications/{A}/scores/document"
    body = {"items": _items(70), "comments": COMMENTS}
    await api.post(REVIEWER_USERS["R1"], path, json=body, expect=200)
    bad = {"items": _items(70), "comments": {"4.9": {"strengths": "?"}}}
    refused = await api.post(REVIEWER_USERS["R2"], path, json=bad, expect=422)
    assert error_code(refused) == "invalid_score"
    for org, base in ((A, 700), (B, 600), (C, 650)):
        for n, reviewer in enumerate(PANEL):
            if (org, reviewer) != (A, "R1"):
                await score(api, year, org, "document", reviewer, base + 10 * n)

    # Not yet formed: the document stage is still open.
    early = await api.get("org_a", f"/cycles/{year}/documents/review_report?credit_code={A}")
    assert error_code(early) == "document_not_ready"

    await api.post("office", f"/cycles/{year}/shortlist", json={"credit_codes": [A, C]}, expect=200)

    # B was not shortlisted: its feedback report comes with its notice (§4(2)).
    notice = await _notice(api, "org_b", "document_review_feedback")
    assert notice["document_id"] is not None
    feedback_b = (await api.get("org_b", f"/documents/{notice['document_id']}", expect=200)).content
    text = pdf_text(feedback_b)
    assert NAMES[B] in text
    assert "资料评审得分率" in text
    assert "610.0" in text
    await api.get("org_a", f"/documents/{notice['document_id']}", expect=404)
    await api.get("office", f"/documents/{notice['document_id']}", expect=200)

    # A's document review report: category scores and comments, reviewers anonymised.
    report = pdf_text(
        await _download(api, "org_a", year, "review_report", credit_code=A, stage="document")
    )
    assert NAMES[A] in report
    assert "高层领导重视质量文化建设（评审员甲）" in report
    assert "70.0%" in report
    assert "评审员RR1" not in report
    assert "评审员R1" not in report
    await _download(
        api, "org_c", year, "review_report", expect=404, credit_code=A, stage="document"
    )

    # The score sheet: the officials' only, reviewer × item.
    sheet = await _download(
        api, "office", year, "score_sheet", format="xlsx", stage="document", award="quality"
    )
    sheets = xlsx_sheets(sheet)
    summary = sheets["汇总"]
    assert summary[2][:2] == [NAMES[A], A]
    assert summary[3][:2] == [NAMES[B], B]
    detail = sheets[f"1-{A}"]
    assert detail[1][:4] == ["条款", "评分项", "分值", "R1 评审员R1"]
    assert detail[2][:4] == ["4.1.2", "高层领导的作用", 50, 35]
    await _download(api, "org_a", year, "score_sheet", expect=404, format="xlsx", stage="document")
    sheet_q: dict[str, Any] = {"format": "xlsx", "stage": "document", "award": "quality"}
    await _download(api, "rev1", year, "score_sheet", expect=404, **sheet_q)  # a reviewer
    assert await _download(api, "watch", year, "score_sheet", **sheet_q) == sheet  # supervisor
    await _download(api, "rev1", year, "review_report", expect=404, credit_code=A)

    for org in (A, C):
        await assign(api, year, org, "site", PANEL)
        for reviewer in PANEL:
            await score(api, year, org, "site", reviewer, 720)

    # §4(3): the applicant confirms the report it read, by digest; a wrong digest changes nothing.
    confirm = f"/cycles/{year}/applications/{A}/site-report/confirm"
    wrong = await api.post("org_a", confirm, json={"report_sha256": "a" * 64}, expect=409)
    assert error_code(wrong) == "report_digest_mismatch"
    read = await site_report(api, year, A, "org_a")
    assert "720.0" in pdf_text(read)
    assert "现场评审报告" in pdf_text(read)
    await score(api, year, A, "site", "R2", 730)  # the report changes with the score
    stale = await api.post(
        "org_a", confirm, json={"report_sha256": hashlib.sha256(read).hexdigest()}, expect=409
    )
    assert error_code(stale) == "report_digest_mismatch"
    await confirm_site_report(api, year, A, "org_a")
    await confirm_site_report(api, year, C, "org_c")
    assert await phase(api, year) == "committee"
    confirmed = (await api.get("office", f"/cycles/{year}/applications/{A}", expect=200)).json()
    assert confirmed["site_report_confirmed_at"] is not None

    yes = {"yes": 8, "no": 1, "abstain": 0}
    for award, orgs in (("quality", [A]), ("innovation", [C])):
        vote = {"award": award, "present": 9, "ballots": dict.fromkeys(orgs, yes)}
        await api.post("secretary", f"/cycles/{year}/votes", json=vote, expect=200)
    assert await phase(api, year) == "publicity"
    publicity = pdf_text(await _download(api, None, year, "publicity_notice"))
    assert NAMES[A] in publicity
    assert NAMES[C] in publicity
    assert NAMES[B] not in publicity
    candidates = pdf_text(await _download(api, "secretary", year, "candidate_list"))
    assert "出席委员9人" in candidates
    assert NAMES[A] in candidates
    await _download(api, "org_a", year, "candidate_list", expect=404)
    await _download(api, None, year, "candidate_list", expect=404)

    objection = {"credit_code": C, "name": "李某", "contact": "13800000000", "content": "材料存疑"}
    number = (await api.post(None, "/public/objections", json=objection, expect=201)).json()[
        "number"
    ]
    finding = {"finding": "unsubstantiated", "report": "经核实，反映情况不属实"}
    await api.post(
        "office", f"/cycles/{year}/objections/{number}/investigation", json=finding, expect=200
    )
    investigation = pdf_text(
        await _download(api, "office", year, "investigation_report", number=number)
    )
    assert "材料存疑" in investigation
    assert "经核实，反映情况不属实" in investigation
    assert "李某" not in investigation
    assert "13800000000" not in investigation

    await api.clock.advance(timedelta(days=8))
    await wait_phase(api, year, "approval")
    await api.post("county", f"/cycles/{year}/approval", json={}, expect=200)
    awarded = api.clock.today()
    day = f"{awarded.year}年{awarded.month}月{awarded.day}日"

    bulletin = pdf_text(await _download(api, None, year, "bulletin"))
    assert NAMES[A] in bulletin
    assert "20万元" in bulletin
    assert "5万元" in bulletin
    assert day in bulletin
    certificate = pdf_text(
        await _download(api, None, year, "certificate", credit_code=A, award="quality")
    )
    until = awarded.replace(year=awarded.year + 5) - timedelta(days=1)
    assert f"庆质奖证〔{year}〕Z01号" in certificate
    assert NAMES[A] in certificate
    assert f"有效期：{day}至{until.year}年{until.month}月{until.day}日" in certificate

    # After the cycle every shortlisted applicant's notice carries its feedback report.
    final = await _notice(api, "org_a", "feedback_report")
    carried = await api.get("org_a", f"/documents/{final['document_id']}", expect=200)
    assert NAMES[A] in pdf_text(carried.content)
    feedback_a = pdf_text(await _download(api, "org_a", year, "feedback_report", credit_code=A))
    assert hashlib.sha256(carried.content).hexdigest() == carried.headers["X-Content-SHA256"]
    assert "现场评审得分率" in feedback_a
    assert "产品合格率连续三年提升" in feedback_a
    assert "评审员R" not in feedback_a
    assert "评审员甲" not in feedback_a

    # Listings: the applicant sees its own and the published ones; the public only these.
    own = (await api.get("org_a", f"/cycles/{year}/documents", expect=200)).json()
    kinds = {(d["kind"], d["credit_code"]) for d in own}
    assert ("feedback_report", A) in kinds
    assert ("feedback_report", B) not in kinds
    assert not {k for k, _ in kinds} & {"score_sheet", "candidate_list", "investigation_report"}
    public = (await api.get(None, f"/public/cycles/{year}/documents", expect=200)).json()
    assert {d["kind"] for d in public} == {
        "call_for_applications",
        "publicity_notice",
        "bulletin",
        "certificate",
    }
    listed = {d["kind"]: d for d in public}
    again = await api.get(None, listed["bulletin"]["url"], expect=200)
    assert hashlib.sha256(again.content).hexdigest() == listed["bulletin"]["sha256"]
    per_app = (
        await api.get("office", f"/cycles/{year}/applications/{B}/documents", expect=200)
    ).json()
    assert {d["kind"] for d in per_app} >= {"application_form", "review_report", "feedback_report"}

    # Revocation for fraud (§6(2)): the notice is public.
    await api.post(
        "office", f"/honors/{A}/quality/{year}/fraud-reports", json={"note": "材料造假"}, expect=200
    )
    await api.post("county", f"/honors/{A}/quality/{year}/revocation-approval", expect=200)
    revocation = pdf_text(
        await _download(api, None, year, "revocation_notice", credit_code=A, award="quality")
    )
    assert NAMES[A] in revocation
    assert "20万元" in revocation
    assert "§6(2)" in revocation
