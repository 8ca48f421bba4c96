"""``Idempotency-Key``: a retried command acts once and gets the first answer back."""

from __future__ import annotations

from tests.api.pdfs import PLAIN
from tests.api.support import Api, credit_code, error_code
from tests.api.world import APPLICANTS, A, open_cycle, populate

RECORD = {"on": "2024-03-01", "kind": "failed_inspection", "note": "抽检不合格"}
PDF = PLAIN


async def records(api: Api) -> list[dict[str, str]]:
    return list((await api.get("office", f"/organizations/{A}/records", expect=200)).json())


async def test_a_retry_acts_once_and_gets_the_first_answer(api: Api) -> None:
    await populate(api)
    key = {"Idempotency-Key": "rec-0001"}
    path = f"/organizations/{A}/records"
    first = await api.post("office", path, json=RECORD, headers=key, expect=201)
    again = await api.post("office", path, json=RECORD, headers=key, expect=201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(await records(api)) == 1

    changed = await api.post("office", path, json=RECORD | {"note": "另一份"}, headers=key)
    assert (changed.status_code, error_code(changed)) == (409, "idempotency_conflict")
    assert len(await records(api)) == 1

    await api.post("office", path, json=RECORD, expect=201)  # no key: acts every time
    assert len(await records(api)) == 2


async def test_keys_belong_to_their_caller(api: Api) -> None:
    await populate(api)
    await api.add_user("office2", "office")
    key = {"Idempotency-Key": "same-key"}
    path = f"/organizations/{A}/records"
    await api.post("office", path, json=RECORD, headers=key, expect=201)
    second = await api.post("office2", path, json=RECORD, headers=key, expect=201)
    assert "idempotent-replayed" not in second.headers
    assert len(await records(api)) == 2


async def test_a_retried_workflow_command_is_not_refused_as_a_duplicate(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    key = {"Idempotency-Key": "apply-a"}
    path = f"/cycles/{year}/applications"
    first = await api.post("org_a", path, json={"award": "quality"}, headers=key, expect=201)
    again = await api.post("org_a", path, json={"award": "quality"}, headers=key, expect=201)
    assert again.json() == first.json()
    plain = await api.post("org_a", path, json={"award": "quality"})
    assert (plain.status_code, error_code(plain)) == (409, "duplicate_application")


async def test_refusals_are_replayed_but_authentication_failures_are_not_kept(api: Api) -> None:
    await populate(api)
    key = {"Idempotency-Key": "k-404"}
    path = f"/organizations/{credit_code(77)}/records"
    first = await api.post("office", path, json=RECORD, headers=key)
    again = await api.post("office", path, json=RECORD, headers=key)
    assert (again.status_code, error_code(again)) == (404, "unknown_organization")
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"

    anonymous = await api.http.post(f"/organizations/{A}/records", json=RECORD, headers=key)
    assert anonymous.status_code == 401
    retried = await api.http.post(f"/organizations/{A}/records", json=RECORD, headers=key)
    assert retried.status_code == 401
    assert "idempotent-replayed" not in retried.headers


async def test_uploads_retried_with_a_key_are_stored_once(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    user = APPLICANTS[A]
    await api.post(user, f"/cycles/{year}/applications", json={"award": "quality"}, expect=201)
    path = f"/cycles/{year}/applications/{A}/materials"
    key = {"Idempotency-Key": "upload-1"}
    files = {"file": ("a.pdf", PDF, "application/pdf")}
    first = await api.post(user, path, files=files, headers=key, expect=201)
    again = await api.post(user, path, files=files, headers=key, expect=201)
    assert again.json() == first.json()
    assert len((await api.get(user, path, expect=200)).json()["materials"]) == 1


async def test_malformed_keys_are_refused(api: Api) -> None:
    await populate(api)
    for bad in ("has space", "x" * 201):
        response = await api.post(
            "office", f"/organizations/{A}/records", json=RECORD, headers={"Idempotency-Key": bad}
        )
        assert (response.status_code, error_code(response)) == (422, "invalid_input")
    assert await records(api) == []
