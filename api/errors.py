"""One error body for every refusal: ``{"error": {"code", "message", "rule"}}`` (DESIGN §7)."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from api.field_names import FIELD_NAMES
from domain.errors import DomainError, ErrorCode, http_status
from domain.names import name_of
from services.errors import from_temporal

log = logging.getLogger(__name__)

_FIELD_PROBLEMS = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "json_invalid": "JSON格式错误",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "float_parsing": "须为数字",
    "float_type": "须为数字",
    "bool_parsing": "须为布尔值",
    "bool_type": "须为布尔值",
    "string_type": "须为字符串",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_type": "须为日期（YYYY-MM-DD）",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_attributes_type": "须为对象",
    "string_too_short": "长度不足",
    "string_too_long": "过长",
    "too_short": "项数不足",
    "too_long": "项数过多",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "greater_than": "数值过小",
    "less_than": "数值过大",
    "string_pattern_mismatch": "格式不正确",
    "value_error": "取值无效",
}


def error_body(code: ErrorCode, message: str, rule: str) -> dict[str, Any]:
    return {"error": {"code": code.value, "message": message, "rule": rule}}


def error_response(err: DomainError, headers: dict[str, str] | None = None) -> JSONResponse:
    status = http_status(err.code)
    if err.code == ErrorCode.NOT_AUTHENTICATED:
        headers = {"WWW-Authenticate": "Bearer", **(headers or {})}
    return JSONResponse(error_body(err.code, err.message, err.rule), status, headers=headers)


_QUOTED = re.compile(r"'([^']*)'")


def _allowed(expected: str) -> str:
    """Pydantic's ``'a', 'b' or 'c'`` as ``a（甲）、b（乙）、c（丙）``."""
    values = _QUOTED.findall(expected)
    return "、".join(
        value if (name := name_of(value)) in (None, value) else f"{value}（{name}）"
        for value in values
    )


def _field(loc: Any) -> tuple[str, str]:
    """The dotted field (``record.0.kind``) and its Chinese label (``类别``)."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    if not parts:
        return "请求", "请求内容"
    named = [p for p in parts if p in FIELD_NAMES]
    return ".".join(parts), FIELD_NAMES[named[-1]] if named else ""


def field_problems(errors: Any) -> list[dict[str, str]]:
    """Each problem in Chinese: the field, its label and what is wrong with it."""
    found = []
    for problem in list(errors)[:5]:
        field, label = _field(problem.get("loc", ()))
        kind = problem.get("type", "")
        ctx = problem.get("ctx") or {}
        text = _FIELD_PROBLEMS.get(kind, "取值无效")
        if kind == "value_error" and ctx.get("error"):
            text = str(ctx["error"])  # our own validators speak Chinese already
        elif kind in ("enum", "literal_error") and ctx.get("expected"):
            text = f"{text}，可选值：{_allowed(str(ctx['expected']))}"
        found.append({"field": field, "label": label, "message": text})
    return found


def describe_errors(errors: Any) -> str:
    """The first few problems, in Chinese, naming the field (e.g. ``year（年度）：须为整数``)."""
    parts = []
    for problem in field_problems(errors):
        label = f"（{problem['label']}）" if problem["label"] else ""
        parts.append(f"{problem['field']}{label}：{problem['message']}")
    return "；".join(parts)


async def _domain(_: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, DomainError)
    return error_response(err)


async def _validation(_: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, RequestValidationError | ValidationError)
    refusal = DomainError(ErrorCode.INVALID_INPUT, describe_errors(err.errors()))
    body = error_body(refusal.code, refusal.message, refusal.rule)
    body["error"]["fields"] = field_problems(err.errors())
    return JSONResponse(body, http_status(refusal.code))


async def _http(_: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, HTTPException)
    if err.status_code == 404:
        code, message = ErrorCode.NOT_FOUND, "请求的地址不存在"
    elif err.status_code == 413:
        refusal = getattr(err, "refusal", None)
        if not isinstance(refusal, DomainError):
            refusal = DomainError(ErrorCode.BODY_TOO_LARGE)
        return error_response(refusal)
    elif err.status_code == 405:
        code, message = ErrorCode.INVALID_INPUT, "不支持该请求方法"
    else:
        code, message = ErrorCode.INVALID_INPUT, str(err.detail)
    return JSONResponse(error_body(code, message, ""), err.status_code, headers=err.headers)


async def _temporal(_: Request, err: Exception) -> JSONResponse:
    """Whatever the services did not translate: a workflow started twice, one that is gone
    (`from_temporal`), else the engine itself failing."""
    if (known := from_temporal(err)) is not None:
        return error_response(known)
    log.warning("Temporal call failed: %s", err)
    return error_response(DomainError(ErrorCode.ACTIVITY_FAILED, "流程引擎暂时不可用"))


async def _integrity(_: Request, err: Exception) -> JSONResponse:
    """A unique (or foreign-key) constraint refused a write that a check above it let
    through — two requests raced for one username, year or code. The loser hears 409."""
    log.info("constraint refused a write: %s", getattr(err, "orig", err))
    return error_response(DomainError(ErrorCode.ALREADY_EXISTS))


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RPCError, _temporal)
    app.add_exception_handler(WorkflowAlreadyStartedError, _temporal)
    app.add_exception_handler(IntegrityError, _integrity)
