"""Security headers on every response: a Content-Security-Policy that allows only this
origin and no framing, ``nosniff``, and no referrer.

The public HTML pages carry one inline ``<style>``; it is allowed by its hash, so no
``'unsafe-inline'`` is needed. ``/docs`` and ``/redoc`` load Swagger UI / ReDoc from this
origin (`api.docs`, no CDN) and start them with inline scripts that are allowed by their
hashes; only styles may be inline there, since both UIs set styles at run time, and ReDoc
runs a worker from a ``blob:`` URL (see SECURITY.md).
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import pages
from api.docs import DOCS_PATHS, INLINE_SCRIPT_HASHES


def _inline_style_hash() -> str:
    found = re.search(r"<style>(.*?)</style>", pages.page("", ""), re.DOTALL)
    assert found is not None, "the page template lost its <style>"
    digest = hashlib.sha256(found.group(1).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


CSP = (
    "default-src 'self'; "
    f"style-src 'self' {_inline_style_hash()}; "
    "img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; "
    f"script-src 'self' {' '.join(INLINE_SCRIPT_HASHES)}; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CSP if scope["path"] in DOCS_PATHS else CSP
        extra = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
