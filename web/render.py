"""Rendering pages: the Jinja2 environment, its filters, the navigation and `render`.

Every page extends ``base.html`` and is rendered with `render(request, "x.html", ...)`,
which adds the signed-in viewer, the CSRF token, the navigation of the viewer's role and a
one-time message (flash) left by the previous redirect. Filters show what a person reads:
times in Asia/Shanghai (`local`), dates (`day`), codes as Chinese words (`cn`), roles
(`role_name`) and scores rounded half-up to 0.1 (`score`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from api.auth import ROLE_NAMES
from domain.dates import SHANGHAI
from domain.names import name_of
from domain.scoring import round_half_up
from services.accounts import Role, Viewer

FLASH_COOKIE = "qaward_flash"

NAV: dict[Role, list[tuple[str, str]]] = {
    Role.OFFICE: [
        ("待办", "/"),
        ("评审周期", "/console/cycles"),
        ("组织", "/console/organizations"),
        ("评审员", "/console/reviewers"),
        ("用户", "/console/users"),
        ("获奖名录", "/console/honors"),
        ("规则预演", "/console/rehearsals"),
        ("通知", "/console/notices"),
    ],
    Role.REVIEWER: [("待办", "/"), ("评审周期", "/console/cycles"), ("通知", "/console/notices")],
    Role.COMMITTEE: [
        ("待办", "/"),
        ("评审周期", "/console/cycles"),
        ("获奖名录", "/console/honors"),
        ("通知", "/console/notices"),
    ],
    Role.GOVERNMENT: [
        ("待办", "/"),
        ("评审周期", "/console/cycles"),
        ("获奖名录", "/console/honors"),
        ("通知", "/console/notices"),
    ],
    Role.SUPERVISOR: [
        ("待办", "/"),
        ("评审周期", "/console/cycles"),
        ("审计日志", "/console/audit"),
        ("获奖名录", "/console/honors"),
        ("规则预演", "/console/rehearsals"),
        ("通知", "/console/notices"),
    ],
    Role.APPLICANT: [
        ("待办", "/"),
        ("评审周期", "/console/cycles"),
        ("获奖名录", "/console/honors"),
        ("通知", "/console/notices"),
    ],
}
"""Each role's menu. Add a page's entry here (the second console engineer adds theirs)."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local(moment: datetime | None) -> str:
    """An instant in Asia/Shanghai, to the minute."""
    if moment is None:
        return "—"
    return _aware(moment).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def day(value: date | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return _aware(value).astimezone(SHANGHAI).date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def cn(code: str | StrEnum | None) -> str:
    """A code as its Chinese word (`domain.names`); the code itself when it has none."""
    return name_of(code) or "—"


def role_name(role: str | Role) -> str:
    return ROLE_NAMES.get(Role(role), str(role))


def score(value: float | None) -> str:
    return "—" if value is None else f"{round_half_up(value):.1f}"


env = Environment(
    loader=PackageLoader("web", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters.update(local=local, day=day, cn=cn, role_name=role_name, score=score)
env.globals["new_key"] = lambda: uuid.uuid4().hex
env.filters["zip_pairs"] = lambda values: [(v, v) for v in values]


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    flash = request.cookies.get(FLASH_COOKIE)
    page = env.get_template(template).render(
        viewer=viewer,
        csrf=getattr(request.state, "csrf", ""),
        nav=NAV.get(viewer.role, [])
        if viewer is not None and not viewer.must_change_password
        else [],
        path=request.url.path,
        flash=unquote(flash) if flash else None,
        **context,
    )
    response = HTMLResponse(page, status_code=status_code)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(location: str, message: str | None = None) -> RedirectResponse:
    """303 See Other to `location` (the page after a form), with a one-time message."""
    response = RedirectResponse(location, status_code=303)
    if message:
        response.set_cookie(FLASH_COOKIE, quote(message), max_age=60, httponly=True, samesite="lax")
    return response
