"""Materials: PDF by content (parsed: test_uploads), size limit, SHA-256, stored on disk,
readable only by those allowed (the applicant, the office, the supervisor, the committee,
its panel)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from qaward.settings import Settings
from tests.api.pdfs import PLAIN, padded
from tests.api.support import Api, error_code
from tests.api.world import (
    PANEL,
    A,
    B,
    apply_all,
    assign,
    open_cycle,
    pass_deadline,
    populate,
    wait_phase,
)

PDF = PLAIN
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def upload(name: str, content: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, content, "application/pdf")}


def stored_files(settings: Settings) -> list[Path]:
    return sorted(p for p in (settings.data_dir / "materials").rglob("*") if p.is_file())


async def test_pdf_is_stored_under_its_digest_and_read_back_by_those_allowed(
    api: Api, settings: Settings
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    path = f"/cycles/{year}/applications/{A}/materials"
    made = (await api.post("org_a", path, files=upload("申报书.pdf", PDF), expect=201)).json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (made["sha256"], made["size"], made["filename"]) == (digest, len(PDF), "申报书.pdf")
    assert stored_files(settings) == [
        settings.data_dir / "materials" / digest[:2] / f"{digest}.pdf"
    ]
    # The name does not matter, the content does; the office may upload for an applicant.
    await api.post("office", path, files=upload("scan.txt", PDF), expect=201)

    listed = (await api.get("org_a", path, expect=200)).json()["materials"]
    assert [m["filename"] for m in listed] == ["申报书.pdf", "scan.txt.pdf"]
    download = await api.get("org_a", f"{path}/{made['id']}", expect=200)
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    for user in ("office", "watch", "secretary"):
        assert (await api.get(user, f"{path}/{made['id']}")).status_code == 200

    for user in ("org_b", "rev1"):  # another applicant; a reviewer not (yet) on the panel
        response = await api.get(user, f"{path}/{made['id']}")
        assert (response.status_code, error_code(response)) == (404, "not_found")
    assert (await api.get("county", path)).status_code == 403
    other = f"/cycles/{year}/applications/{B}/materials/{made['id']}"
    assert (await api.get("office", other)).status_code == 404  # not B's material

    await pass_deadline(api, year)
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    await assign(api, year, A, "document", PANEL)
    assert (await api.get("rev1", f"{path}/{made['id']}")).content == PDF
    assert (await api.get("rev4", f"{path}/{made['id']}")).status_code == 404  # tied to A

    late = await api.post("org_a", path, files=upload("补充.pdf", PDF))
    assert (late.status_code, error_code(late)) == (409, "not_in_phase")


async def test_non_pdf_empty_and_oversized_files_are_refused_and_leave_nothing(
    api: Api, settings: Settings
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    path = f"/cycles/{year}/applications/{A}/materials"
    limit = settings.max_material_bytes

    refusals = [
        (upload("photo.pdf", PNG), 422, "invalid_material"),
        (upload("empty.pdf", b""), 422, "invalid_material"),
        (upload("big.pdf", b"%PDF-" + b"x" * limit), 413, "material_too_large"),
        ({"document": ("a.pdf", PDF, "application/pdf")}, 422, "invalid_input"),
    ]
    for files, status, code in refusals:
        response = await api.post("org_a", path, files=files)
        assert (response.status_code, error_code(response)) == (status, code)

    huge = await api.post(
        "org_a",
        path,
        content=b"x" * (limit + 2 * 1024 * 1024),
        headers={"content-type": "multipart/form-data; boundary=zzz"},
    )
    assert (huge.status_code, error_code(huge)) == (413, "material_too_large")

    exactly = padded(limit)
    await api.post("org_a", path, files=upload("limit.pdf", exactly), expect=201)
    assert len(stored_files(settings)) == 1  # no partial uploads left behind
    assert len((await api.get("org_a", path, expect=200)).json()["materials"]) == 1


async def test_materials_may_be_deleted_or_replaced_until_the_deadline_then_are_locked(
    api: Api, settings: Settings
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    path = f"/cycles/{year}/applications/{A}/materials"
    first = (await api.post("org_a", path, files=upload("初稿.pdf", PDF), expect=201)).json()
    spare = (await api.post("org_a", path, files=upload("附件.pdf", PDF), expect=201)).json()
    before = (await api.get("org_a", path, expect=200)).json()
    assert before["locked"] is False
    assert before["locked_from"].startswith(
        f"{(api.clock.today() + timedelta(days=6)).isoformat()}T00:00:00"
    )

    new = padded(4000)
    replaced = await api.put(
        "org_a", f"{path}/{first['id']}", files=upload("终稿.pdf", new), expect=200
    )
    assert (replaced.json()["id"], replaced.json()["filename"]) == (first["id"], "终稿.pdf")
    assert (await api.get("org_a", f"{path}/{first['id']}")).content == new
    refused = await api.put("org_a", f"{path}/{first['id']}", files=upload("x.pdf", PNG))
    assert (refused.status_code, error_code(refused)) == (422, "invalid_material")
    assert (await api.get("org_a", f"{path}/{first['id']}")).content == new

    await api.call("org_a", "DELETE", f"{path}/{spare['id']}", expect=200)
    names = [m["filename"] for m in (await api.get("org_a", path)).json()["materials"]]
    assert names == ["终稿.pdf"]
    for user, status, code in [("org_b", 404, "not_found"), ("rev1", 403, "forbidden")]:
        other = await api.call(user, "DELETE", f"{path}/{first['id']}")
        assert (other.status_code, error_code(other)) == (status, code), user
    gone = await api.call("org_a", "DELETE", f"{path}/{spare['id']}")
    assert (gone.status_code, error_code(gone)) == (404, "not_found")

    await pass_deadline(api, year)
    after = (await api.get("org_a", path, expect=200)).json()
    assert (after["locked"], after["locked_from"]) == (True, before["locked_from"])
    for response in (
        await api.call("org_a", "DELETE", f"{path}/{first['id']}"),
        await api.put("org_a", f"{path}/{first['id']}", files=upload("改.pdf", PDF)),
        await api.call("office", "DELETE", f"{path}/{first['id']}"),
    ):
        assert (response.status_code, error_code(response)) == (409, "materials_locked")
        assert "截止" in response.json()["error"]["message"]
    assert (await api.get("org_a", f"{path}/{first['id']}")).content == new
    await wait_phase(api, year, "qualification")
