"""The OpenAPI document, explained (issue #13 item 13): each operation says which roles may
call it and answers with the real error body, not FastAPI's ``{"detail": …}``.

Roles come from the route's dependencies (`api.auth.RoleGate`), so the document cannot
drift from the gate. Error responses are the statuses an operation can give: 401 and 403
for any signed-in operation, 404 where the path names a record, 409 for commands, 422
always, plus what a route declares itself (423/429 on login, 413 on uploads).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from api.auth import ROLE_NAMES, RoleGate, current_viewer, signed_in
from api.schemas.errors import ErrorBody

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
STATUS_TEXT = {
    401: "未登录、令牌无效或已过期（not_authenticated）",
    403: "当前角色无权执行（forbidden），或须先修改密码（password_change_required）",
    404: "记录不存在或无权查看（not_found 等）",
    409: "与当前状态冲突：阶段不符、已截止、重复提交等（not_in_phase、already_exists 等）",
    413: "请求或材料过大（body_too_large、material_too_large）",
    422: "输入无效或不符合评审规则（invalid_input 及规则代码）",
    423: "账户因多次登录失败被锁定，消息写明解锁时间（account_locked）",
    503: "后台服务暂时不可用，请稍后重试（activity_failed）",
    429: "请求过于频繁，消息写明可重试时间（rate_limited）",
}
FASTAPI_422 = "Validation Error"
PUBLIC = "角色：公开（无需登录）"
ANY_USER = "角色：所有登录用户"


def _dependencies(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _dependencies(sub)


def roles_line(route: APIRoute) -> str:
    """``角色：县评审办、监督组`` — who the route's gate lets through."""
    calls = list(_dependencies(route.dependant))
    for call in calls:
        if isinstance(call, RoleGate):
            return "角色：" + "、".join(
                name for role, name in ROLE_NAMES.items() if role in call.roles
            )
    if current_viewer in calls or signed_in in calls:
        return ANY_USER
    return PUBLIC


def _routes(routes: Sequence[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            if route.include_in_schema:
                yield route
        elif hasattr(route, "original_router"):  # FastAPI's included-router branch
            yield from _routes(route.original_router.routes)


def _error_statuses(route: APIRoute, method: str, declared: dict[str, Any]) -> list[int]:
    statuses = {422}
    if roles_line(route) != PUBLIC:
        statuses |= {401, 403}
    if "{" in route.path:
        statuses.add(404)
    if method != "get":
        statuses.add(409)
    statuses |= {int(code) for code in declared if code.isdigit() and int(code) >= 400}
    return sorted(statuses)


def build(app: FastAPI) -> dict[str, Any]:
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    schemas: dict[str, Any] = spec.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorBody"] = error_schema
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for route in _routes(app.routes):
        item = spec["paths"][route.path_format]
        for method in route.methods or ():
            operation = item[method.lower()]
            line = roles_line(route)
            text = operation.get("description", "")
            operation["description"] = f"{line}\n\n{text}".strip() if text else line
            responses = operation.setdefault("responses", {})
            for ok in responses.values():
                if ok.get("description") == "Successful Response":
                    ok["description"] = "成功"
            for status in _error_statuses(route, method.lower(), responses):
                given = responses.get(str(status), {}).get("description")
                responses[str(status)] = {
                    "description": STATUS_TEXT[status] if given in (None, FASTAPI_422) else given,
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
    return spec


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
