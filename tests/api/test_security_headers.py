"""Every response carries the security headers; /docs keeps working (issue #12)."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx

from tests.api.support import Api


def _csp(response: httpx.Response) -> dict[str, str]:
    directives = {}
    for part in response.headers["content-security-policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name] = value
    return directives


async def test_json_html_errors_and_refusals_all_carry_the_headers(api: Api) -> None:
    answers = [
        await api.http.get("/health"),
        await api.http.get("/public/objection"),
        await api.http.get("/no/such/page"),
        await api.http.get("/auth/me"),
        await api.http.post("/auth/login", content=b"x" * (2 * 1024 * 1024)),
    ]
    for response in answers:
        assert response.headers["x-content-type-options"] == "nosniff", response.url
        assert response.headers["referrer-policy"] == "no-referrer"
        csp = _csp(response)
        assert csp["default-src"] == "'self'"
        assert csp["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in response.headers["content-security-policy"]


async def test_the_public_pages_inline_style_is_allowed_by_its_hash(api: Api) -> None:
    page = await api.http.get("/public/objection")
    style = re.search(r"<style>(.*?)</style>", page.text, re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in _csp(page)["style-src"]


async def test_docs_render_with_the_assets_they_load(api: Api) -> None:
    docs = await api.http.get("/docs")
    assert docs.status_code == 200
    csp = _csp(docs)
    for url in re.findall(r"(https://[^/'\"]+)/", docs.text):
        kind = "style-src" if "css" in url else "script-src"
        assert url in csp["script-src"] or url in csp[kind] or url in csp["img-src"], url
    assert csp["frame-ancestors"] == "'none'"
    assert (await api.http.get("/openapi.json")).status_code == 200
