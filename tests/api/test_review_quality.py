"""Review quality over HTTP (§2(4), §6(1)): the reproducible panel draw, spread flags for the
leader and the office before consensus, and the reviewers' leniency report."""

from __future__ import annotations

from tests.api.support import Api, error_code
from tests.api.world import A, B, C, score, to_document_review


async def test_draw_adopt_adjust_and_reproduce(api: Api) -> None:
    year = await to_document_review(api)
    base = f"/cycles/{year}/applications/{A}/panel-draws/document"
    await api.post("rev1", base, json={}, expect=403)
    await api.post("watch", base, json={}, expect=403)
    drawn = (await api.post("office", base, json={"seed": 42}, expect=201)).json()
    # R4 is tied to A (回避): never drawn, and the pool says why.
    assert sorted(drawn["drawn"]) == ["R1", "R2", "R3"]
    assert drawn["excluded"] == {"R4": "conflict_of_interest"}
    assert (drawn["seed"], drawn["status"], drawn["leader"]) == (42, "drawn", drawn["drawn"][0])
    again = (await api.post("office", base, json={"seed": 42}, expect=201)).json()
    assert again["drawn"] == drawn["drawn"]

    decision = f"/cycles/{year}/panel-draws/{drawn['id']}/decision"
    await api.post("watch", decision, json={}, expect=403)
    adopted = (await api.post("office", decision, json={}, expect=200)).json()
    assert (adopted["status"], adopted["members"]) == ("adopted", drawn["drawn"])
    response = await api.post("office", decision, json={}, expect=409)
    assert error_code(response) == "draw_decided"
    seats = (await api.get("office", f"/cycles/{year}/applications/{A}/panels/document")).json()
    leader = [s["reviewer"] for s in seats if s["leader"] and not s["withdrawn"]]
    assert leader == [drawn["leader"]]

    other = f"/cycles/{year}/panel-draws/{again['id']}/decision"
    change = {"reviewers": ["R3", "R2", "R1"], "leader": "R3"}
    response = await api.post("office", other, json=change, expect=422)
    assert error_code(response) == "adjustment_reason_required"
    adjusted = (
        await api.post("office", other, json={**change, "reason": "组长回避出差"}, expect=200)
    ).json()
    assert (adjusted["status"], adjusted["reason"]) == ("adjusted", "组长回避出差")

    tied = f"/cycles/{year}/panel-draws/{drawn['id']}/reproduction"
    reproduced = (await api.get("watch", tied, expect=200)).json()
    assert reproduced["reproduced"] is True
    assert reproduced["members"] == drawn["drawn"]
    await api.get("rev1", tied, expect=403)
    await api.get("watch", f"/cycles/{year}/panel-draws/999/reproduction", expect=404)
    listed = (await api.get("watch", f"/cycles/{year}/panel-draws", expect=200)).json()
    assert [d["status"] for d in listed] == ["adopted", "adjusted"]

    big = await api.post("office", base, json={"seed": 1, "size": 4}, expect=422)
    assert error_code(big) == "panel_too_small"  # R4 may not sit: three are eligible
    small = await api.post("office", base, json={"size": 2}, expect=422)
    assert error_code(small) == "panel_too_small"


async def test_spread_shown_to_leader_and_office_before_consensus(api: Api) -> None:
    year = await to_document_review(api)  # R1 leads every panel
    path = f"/cycles/{year}/applications/{A}/scores/document"
    await score(api, year, A, "document", "R1", 600)
    await score(api, year, A, "document", "R2", 750)
    for user in ("office", "rev1", "watch", "secretary"):
        spread = (await api.get(user, path, expect=200)).json()["spread"]
        assert (spread["total_spread"], spread["flagged"]) == (150.0, True), user
        assert "§6(1)" in spread["reasons"][0]
    assert (await api.get("rev2", path, expect=200)).json()["spread"] is None
    await api.get("org_a", path, expect=200)
    assert (await api.get("org_a", path)).json()["spread"] is None

    items = dict.fromkeys(
        [
            "4.1.2", "4.1.3", "4.1.4", "4.2.2", "4.2.3", "4.3.2", "4.3.3", "4.4.2", "4.4.3",
            "4.4.4", "4.4.5", "4.4.6", "4.4.7", "4.5.2", "4.5.3", "4.6.2", "4.6.3", "4.7.2",
            "4.7.3", "4.7.4", "4.7.5", "4.7.6", "4.7.7",
        ],
        60,
    )  # fmt: skip
    b_path = f"/cycles/{year}/applications/{B}/scores/document"
    await api.post("rev1", b_path, json={"items": items}, expect=200)
    await api.post("rev2", b_path, json={"items": {**items, "4.7.2": 95}}, expect=200)
    spread = (await api.get("office", b_path, expect=200)).json()["spread"]
    assert (spread["item_spread"], spread["widest_item"], spread["flagged"]) == (35, "4.7.2", True)


async def test_leniency_report(api: Api) -> None:
    year = await to_document_review(api)
    for org, points in ((A, (600, 700, 650)), (B, (640, 720, 680)), (C, (500, 560, 530))):
        for reviewer, p in zip(("R1", "R2", "R3"), points, strict=True):
            await score(api, year, org, "document", reviewer, p)
    path = f"/cycles/{year}/review-quality/document"
    for user in ("rev1", "org_a"):
        await api.get(user, path, expect=403)
    found = (await api.get("secretary", path, expect=200)).json()
    assert found["normalise_official"] is False
    lenient = {r["reviewer"]: r["mean_deviation"] for r in found["reviewers"]}
    # Panel means 650, 680, 530: R1 −50, −40, −30 → −40; R2 +50, +40, +30 → +40; R3 0.
    assert lenient == {"R1": -40.0, "R2": 40.0, "R3": 0.0}
    assert {p["credit_code"] for p in found["panels"]} == {A, B, C}
    assert all(p["normalised_score"] is not None for p in found["panels"])
