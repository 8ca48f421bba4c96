"""Mounting the console on the app: its pages, its static files and its HTML refusals.

`install(app)` runs after `api.errors.install`: a refusal on a console page is shown as a
page (`error.html`) and a missing session as a redirect to the sign-in form, while every
other path keeps the API's JSON error body (the handlers below hand those on).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from api.errors import describe_errors
from domain.errors import CLAUSES, DomainError, ErrorCode, http_status
from web.pages import PAGES
from web.render import render
from web.session import PasswordChangeFirst, SignInRequired, sign_in_location

STATIC_DIR = Path(__file__).parent / "static"
STATIC_URL = "/console/static"
PAGE_PREFIXES = ("/console", "/login", "/logout", "/password", "/portal")

Handler = Callable[[Request, Exception], Awaitable[Response]]


def is_page(request: Request) -> bool:
    path = request.url.path
    return path == "/" or path.startswith(PAGE_PREFIXES)


def error_page(request: Request, err: DomainError) -> Response:
    clause = CLAUSES.get(err.code, "")
    return render(
        request,
        "error.html",
        status_code=http_status(err.code),
        title="页面不存在" if err.code == ErrorCode.NOT_FOUND else "无法完成操作",
        message=err.message,
        clause=clause,
        code=err.code.value,
    )


def _for_pages(api_handler: Handler, page: Callable[[Request, Exception], Response]) -> Handler:
    async def handle(request: Request, err: Exception) -> Response:
        if is_page(request):
            return page(request, err)
        return await api_handler(request, err)

    return handle


def _domain_page(request: Request, err: Exception) -> Response:
    assert isinstance(err, DomainError)
    return error_page(request, err)


def _validation_page(request: Request, err: Exception) -> Response:
    assert isinstance(err, RequestValidationError)
    return error_page(request, DomainError(ErrorCode.INVALID_INPUT, describe_errors(err.errors())))


def _http_page(request: Request, err: Exception) -> Response:
    assert isinstance(err, HTTPException)
    refusal = getattr(err, "refusal", None)  # `api.middleware.body_limit.TooLarge`
    if isinstance(refusal, DomainError):
        return error_page(request, refusal)
    if err.status_code == 404:
        return error_page(request, DomainError(ErrorCode.NOT_FOUND, "页面不存在"))
    if err.status_code == 405:
        return error_page(request, DomainError(ErrorCode.INVALID_INPUT, "不支持该请求方法"))
    return error_page(request, DomainError(ErrorCode.INVALID_INPUT, str(err.detail)))


async def _sign_in(request: Request, err: Exception) -> Response:
    assert isinstance(err, SignInRequired)
    return RedirectResponse(sign_in_location(err.next_path), status_code=303)


async def _change_password(request: Request, err: Exception) -> Response:
    return RedirectResponse("/password", status_code=303)


def install(app: FastAPI) -> None:
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="console-static")
    for router in PAGES:
        app.include_router(router)
    handlers = app.exception_handlers
    pairs: list[tuple[type[Exception], Callable[[Request, Exception], Response]]] = [
        (DomainError, _domain_page),
        (RequestValidationError, _validation_page),
        (HTTPException, _http_page),
    ]
    for kind, page in pairs:
        api_handler: Handler = handlers[kind]  # type: ignore[assignment]
        app.add_exception_handler(kind, _for_pages(api_handler, page))
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(PasswordChangeFirst, _change_password)
