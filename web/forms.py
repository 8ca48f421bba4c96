"""Posted forms: CSRF check, the act-once rule, and errors next to their fields.

A page's POST route reads the form with `read_form` (refused unless its CSRF token is the
session's), then hands the work to `act`:

    posted = await read_form(request)

    async def run() -> str:  # does the command, returns where to go next
        await service.open_cycle(CycleIn.model_validate(posted.data("year", ...)))
        return "/console/cycles"

    return await act(request, posted, run, "评审周期已开启", again=lambda form: render(...),
                     fields={ErrorCode.CYCLE_EXISTS: "year"})

`act` applies the API's idempotency rule (`services.idempotency`, the same store and
owner ``user:{id}`` as the ``Idempotency-Key`` header): every rendered form carries a key
of its own in `ONCE_FIELD` (`_forms.html` `hidden`); the first request with it runs, a
second one (a double click) waits for the first and gets its redirect, never a second run.
A refusal (a `DomainError` from the service, or the request model's `ValidationError`)
changes nothing, releases the key and renders the form again through `again(form)` with
status 422: each message next to the field it concerns (`fields` maps error codes to
fields; pydantic names its own) and every typed value kept.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData, UploadFile

from api.context import AppContext
from api.errors import field_problems
from domain.errors import CLAUSES, DomainError, ErrorCode
from services import idempotency
from web.render import redirect
from web.session import CSRF_FIELD, check_csrf

ONCE_FIELD = "once_key"
GENERAL = "_form"
"""The errors key for a refusal that concerns no one field (shown above the form)."""
WAIT_FOR_FIRST_S = 20.0


@dataclass
class Form:
    """What a form shows: its values (as typed) and errors per field. (Its once-key is made
    where the form is rendered: `_forms.html` `hidden`.)"""

    values: dict[str, str | list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, default: str = "") -> str:
        found = self.values.get(name, default)
        return found if isinstance(found, str) else (found[0] if found else default)

    def chosen(self, name: str) -> list[str]:
        found = self.values.get(name, [])
        return [found] if isinstance(found, str) else found

    def error(self, name: str) -> str | None:
        return self.errors.get(name)


@dataclass
class Posted:
    """A posted form whose CSRF token was the session's."""

    form: FormData
    body: bytes

    def get(self, name: str) -> str | None:
        """The field as typed, trimmed; None when empty or absent."""
        found = self.form.get(name)
        if not isinstance(found, str):
            return None
        found = found.strip()
        return found or None

    def getlist(self, name: str) -> list[str]:
        return [v.strip() for v in self.form.getlist(name) if isinstance(v, str) and v.strip()]

    def file(self, name: str) -> UploadFile | None:
        found = self.form.get(name)
        return found if isinstance(found, UploadFile) and found.filename else None

    def data(self, *names: str) -> dict[str, str]:
        """The named fields that were filled in (empty ones left out: the model's default)."""
        return {n: v for n in names if (v := self.get(n)) is not None}

    def kept(self) -> Form:
        """The same form again, as typed (files, passwords and hidden tokens left out)."""
        values: dict[str, str | list[str]] = {}
        for name in self.form:
            if name in (CSRF_FIELD, ONCE_FIELD) or "password" in name:
                continue
            found = [v for v in self.form.getlist(name) if isinstance(v, str)]
            if found:
                values[name] = found if len(found) > 1 else found[0]
        return Form(values=values)


async def read_form(request: Request, expected_csrf: str | None = None) -> Posted:
    body = await request.body()
    form = await request.form()
    given = form.get(CSRF_FIELD)
    check_csrf(
        expected_csrf if expected_csrf is not None else getattr(request.state, "csrf", ""),
        given if isinstance(given, str) else None,
    )
    return Posted(form, body)


def refusal_errors(err: Exception, fields: Mapping[ErrorCode, str]) -> dict[str, str]:
    """Chinese messages by field: pydantic's by the field it names, ours by `fields`."""
    if isinstance(err, ValidationError):
        found: dict[str, str] = {}
        for problem in field_problems(err.errors()):
            name = problem["field"].split(".", 1)[0]
            name = GENERAL if name in ("请求", "") else name
            found.setdefault(name, problem["message"])
        return found
    assert isinstance(err, DomainError)
    clause = CLAUSES.get(err.code, "")
    cited = f"（依据《办法》{clause}）" if clause else ""
    return {fields.get(err.code, GENERAL): f"{err.message}{cited}"}


async def _claim(ctx: AppContext, owner: str, key: str, print_: str) -> str | None:
    """None: this request runs. Else the location the first request with this key gave."""
    assert ctx.sessions is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_FOR_FIRST_S
    while True:
        try:
            stored = await idempotency.claim(ctx.sessions, owner, key, print_, ctx.clock())
        except DomainError as err:
            still_running = err.code == ErrorCode.IDEMPOTENCY_CONFLICT and err.detail
            if still_running and loop.time() < deadline:
                await asyncio.sleep(0.1)  # a double click: wait for the first one's answer
                continue
            raise
        return None if stored is None else stored.body


async def act(
    request: Request,
    posted: Posted,
    run: Callable[[], Awaitable[str]],
    message: str,
    *,
    again: Callable[[Form], Response | Awaitable[Response]],
    fields: Mapping[ErrorCode, str] | None = None,
    session: AsyncSession | None = None,
    owner: str | None = None,
) -> Response:
    """`session`: the request's, when `run` wrote through it; it is committed before the
    answer is kept, so a kept answer always stands for a kept change. `owner`: whose
    once-keys these are (default the signed-in user; the public portal names the client)."""
    ctx: AppContext = request.app.state.ctx
    key = posted.get(ONCE_FIELD)
    owner = owner or f"user:{request.state.viewer.user_id}"
    print_ = idempotency.fingerprint(
        ctx.settings.secret_key.get_secret_value().encode(), "POST", request.url.path, posted.body
    )
    try:
        if key is not None and (location := await _claim(ctx, owner, key, print_)) is not None:
            return redirect(location, message)
        try:
            location = await run()
        except BaseException:
            if key is not None:
                assert ctx.sessions is not None
                await idempotency.release(ctx.sessions, owner, key)
            raise
    except (DomainError, ValidationError) as err:
        form = posted.kept()
        form.errors = refusal_errors(err, fields or {})
        shown = again(form)
        response = await shown if inspect.isawaitable(shown) else shown
        response.status_code = 422
        return response
    if session is not None:
        await session.commit()
    if key is not None:
        assert ctx.sessions is not None
        answer = idempotency.StoredAnswer(303, "text/uri-list", location)
        await idempotency.complete(ctx.sessions, owner, key, answer)
    return redirect(location, message)
