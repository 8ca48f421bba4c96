"""The API documentation pages, served with no internet (STYLE 26): Swagger UI at ``/docs``
and ReDoc at ``/redoc``, their scripts and styles from the installed ``fastapi-offline``
package under ``/docs-assets/`` instead of a CDN.

The pages are rendered once; `INLINE_SCRIPT_HASHES` are the CSP hashes of the inline
scripts they carry (Swagger UI's start-up script and its OAuth2 redirect page), so that the
docs policy in `api.middleware.security_headers` allows those and no other inline script.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import Response

TITLE = "庆元县人民政府质量奖评审服务"
OPENAPI_URL = "/openapi.json"
ASSETS = "/docs-assets"
ASSET_DIR = Path(fastapi_offline.__file__).parent / "static"
DOCS_URL, REDIRECT_URL, REDOC_URL = "/docs", "/docs/oauth2-redirect", "/redoc"
DOCS_PATHS = (DOCS_URL, REDIRECT_URL, REDOC_URL)

SWAGGER = get_swagger_ui_html(
    openapi_url=OPENAPI_URL,
    title=f"{TITLE} — 接口文档",
    swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
    swagger_css_url=f"{ASSETS}/swagger-ui.css",
    swagger_favicon_url=f"{ASSETS}/favicon.png",
    oauth2_redirect_url=REDIRECT_URL,
)
REDOC = get_redoc_html(
    openapi_url=OPENAPI_URL,
    title=f"{TITLE} — 接口文档（ReDoc）",
    redoc_js_url=f"{ASSETS}/redoc.standalone.js",
    redoc_favicon_url=f"{ASSETS}/favicon.png",
    with_google_fonts=False,
)
REDIRECT = get_swagger_ui_oauth2_redirect_html()


def _inline_scripts(page: HTMLResponse) -> list[str]:
    html = bytes(page.body).decode()
    return re.findall(r"<script>(.*?)</script>", html, re.DOTALL)


def _hash(script: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


INLINE_SCRIPT_HASHES = tuple(
    _hash(s) for page in (SWAGGER, REDOC, REDIRECT) for s in _inline_scripts(page)
)


def install(app: FastAPI) -> None:
    """Mount the assets and the three pages (the app is made with its own docs turned off)."""
    app.mount(ASSETS, StaticFiles(directory=ASSET_DIR), name="docs-assets")

    # Plain routes, as FastAPI's own docs are: not operations of the API.
    async def swagger_ui(_: Request) -> Response:
        return SWAGGER

    async def redoc(_: Request) -> Response:
        return REDOC

    async def oauth2_redirect(_: Request) -> Response:
        return REDIRECT

    app.add_route(DOCS_URL, swagger_ui, include_in_schema=False)
    app.add_route(REDIRECT_URL, oauth2_redirect, include_in_schema=False)
    app.add_route(REDOC_URL, redoc, include_in_schema=False)
