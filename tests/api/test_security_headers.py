"""Every response carries the security headers; /docs keeps working (issue #12)."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest

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


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/docs/oauth2-redirect"])
async def test_docs_need_no_internet_and_run_only_their_own_scripts(api: Api, page: str) -> None:
    """An intranet has no CDN: every asset is on this server, and the CSP says 'self' with
    the page's inline scripts allowed by hash, never 'unsafe-inline' script (issue #13)."""
    docs = await api.http.get(page)
    assert docs.status_code == 200
    assert re.findall(r"(?:https?:)?//[\w.-]+", docs.text) == [], "an external host"
    csp = _csp(docs)
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    script_src = csp["script-src"].split()
    assert script_src[0] == "'self'"
    assert "'unsafe-inline'" not in script_src
    assert not any(s.startswith("http") for v in csp.values() for s in v.split())
    for script in re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', docs.text)
    if page != "/docs/oauth2-redirect":
        assert assets
    for url in assets:
        asset = await api.http.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url
    assert (await api.http.get("/openapi.json")).status_code == 200
