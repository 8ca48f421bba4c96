"""Uploads are parsed PDFs with nothing active in them, under safe names, capped per
application; downloads cannot be sniffed into something else (issue #12)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable

import pytest
from fastapi import FastAPI
from pypdf import PdfWriter

from qaward.settings import Settings
from services.materials import clean_filename
from tests.api.pdfs import PLAIN, REFUSED, pdf
from tests.api.support import Api, error_code
from tests.api.world import A, apply_all, open_cycle, populate


def upload(name: str, content: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, content, "application/pdf")}


async def materials_path(api: Api) -> str:
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    return f"/cycles/{year}/applications/{A}/materials"


async def test_active_content_encryption_and_polyglots_are_refused(
    api: Api, settings: Settings
) -> None:
    path = await materials_path(api)
    for name, content in REFUSED.items():
        response = await api.post("org_a", path, files=upload(f"{name}.pdf", content))
        assert (response.status_code, error_code(response)) == (422, "invalid_material"), name
    assert (await api.get("org_a", path, expect=200)).json()["materials"] == []
    assert not any(p.is_file() for p in (settings.data_dir / "materials").rglob("*"))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("申报书.pdf", "申报书.pdf"),
        ("report\u202efdp.exe", "reportfdp.exe.pdf"),  # right-to-left override dropped
        ("a\x00b\r\nc.PDF", "abc.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ('C:\\evil\\"quoted".pdf', "_quoted_.pdf"),
        ("\u200b\u2066.pdf", "material.pdf"),
        ("", "material.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_filenames_are_cleaned(given: str, kept: str) -> None:
    assert clean_filename(given) == kept


async def test_download_cannot_be_sniffed_or_shown_inline(api: Api) -> None:
    path = await materials_path(api)
    made = await api.post("org_a", path, files=upload("报告\u202e.pdf", PLAIN), expect=201)
    assert made.json()["filename"] == "报告.pdf"
    download = await api.get("org_a", f"{path}/{made.json()['id']}", expect=200)
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf" in disposition


def titled(title: str) -> Callable[[PdfWriter], None]:
    return lambda writer: writer.add_metadata({"/Title": title})


async def test_materials_per_application_are_capped_in_number_and_size(
    api: Api, app: FastAPI, settings: Settings
) -> None:
    path = await materials_path(api)
    ctx = app.state.ctx
    ctx.settings = settings.model_copy(update={"max_materials_per_application": 3})
    distinct = [pdf(titled(f"第{n}份")) for n in range(10)]
    answers = await asyncio.gather(
        *(api.post("org_a", path, files=upload(f"{n}.pdf", c)) for n, c in enumerate(distinct))
    )
    assert Counter(r.status_code for r in answers) == {201: 3, 422: 7}
    assert len((await api.get("org_a", path, expect=200)).json()["materials"]) == 3

    ctx.settings = settings.model_copy(
        update={"max_materials_per_application": 30, "max_material_total_bytes": 1}
    )
    full = await api.post("org_a", path, files=upload("more.pdf", PLAIN))
    assert (full.status_code, error_code(full)) == (413, "material_too_large")


async def test_json_bodies_have_their_own_small_limit(api: Api) -> None:
    big = {"username": "x" * (2 * 1024 * 1024), "password": "y"}
    response = await api.http.post("/auth/login", json=big)
    assert (response.status_code, error_code(response)) == (413, "body_too_large")


async def test_the_limit_holds_while_the_body_streams_in(api: Api) -> None:
    """No Content-Length: the body is cut off once it passes the limit, not read whole."""
    pulled = 0
    chunk = b" " * (64 * 1024)

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield b'{"username": "'
        for _ in range(10_000):  # 640 MB if it were all read
            pulled += len(chunk)
            yield chunk

    response = await api.http.post(
        "/auth/login", content=endless(), headers={"content-type": "application/json"}
    )
    assert (response.status_code, error_code(response)) == (413, "body_too_large")
    assert pulled <= 1024 * 1024 + 2 * len(chunk)
