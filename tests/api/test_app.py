"""The app factory, the health check and the OpenAPI document."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.testing import WorkflowEnvironment

from api.app import create_app, startup
from db.migrate import upgrade
from db.session import create_engine
from qaward.settings import Settings
from tests.api.routes import operations
from tests.api.support import Api

CHINESE = re.compile(r"[\u4e00-\u9fff]")


async def get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path)


def test_creating_the_app_opens_nothing(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url="postgresql+asyncpg://nobody:nothing@127.0.0.1:1/none",
        temporal_address="127.0.0.1:1",
    )
    app = create_app(settings=settings)
    assert app.state.ctx.engine is None
    assert app.state.ctx.client is None


async def test_health_reports_each_dependency(
    settings: Settings, engine: AsyncEngine, time_skipping_env: WorkflowEnvironment
) -> None:
    healthy = create_app(settings=settings, engine=engine, client=time_skipping_env.client)
    response = await get(healthy, "/health")
    assert (response.status_code, response.json()) == (200, {"database": "ok", "temporal": "ok"})

    no_temporal = settings.model_copy(update={"temporal_address": "127.0.0.1:1"})
    response = await get(create_app(settings=no_temporal, engine=engine), "/health")
    assert (response.status_code, response.json()) == (
        503,
        {"database": "ok", "temporal": "error"},
    )

    dead = create_engine("postgresql+asyncpg://nobody:nothing@127.0.0.1:1/none")
    app = create_app(settings=settings, engine=dead, client=time_skipping_env.client)
    response = await get(app, "/health")
    assert (response.status_code, response.json()) == (503, {"database": "error", "temporal": "ok"})
    await dead.dispose()


async def test_lifespan_start_creates_the_engine_and_the_office_account(
    tmp_path: Path, time_skipping_env: WorkflowEnvironment
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'own.sqlite3'}"
    await asyncio.to_thread(upgrade, url)
    settings = Settings(
        data_dir=tmp_path,
        database_url=url,
        bootstrap_office_username="chief",
        bootstrap_office_password=SecretStr("chief-password"),
    )
    app = create_app(settings=settings, client=time_skipping_env.client)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            login = await client.post(
                "/auth/login", json={"username": "chief", "password": "chief-password"}
            )
            assert login.status_code == 200
            assert (await client.get("/health")).status_code == 200
        await startup(app)  # idempotent


def test_openapi_documents_every_operation_in_chinese_with_its_security(app: FastAPI) -> None:
    spec = app.openapi()
    ops = [
        (path, method, op) for path, item in spec["paths"].items() for method, op in item.items()
    ]
    assert len(ops) == len(operations(app)) >= 30
    public = {"/auth/login", "/health", "/health/live", "/health/ready"}
    for path, method, op in ops:
        assert CHINESE.search(op.get("summary", "")), (method, path)
        if path.startswith("/public/") or path in public:
            assert "security" not in op, (method, path)
        else:
            assert op.get("security") == [{"BearerToken": []}], (method, path)
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_openapi_says_who_may_call_each_operation_and_how_it_refuses(app: FastAPI) -> None:
    spec = app.openapi()
    users = spec["paths"]["/users"]
    assert users["get"]["description"].startswith("角色：县评审办、监督组")
    assert users["post"]["description"].startswith("角色：县评审办")
    assert spec["paths"]["/public/honors"]["get"]["description"].startswith("角色：公开")
    assert spec["paths"]["/auth/password"]["post"]["description"].startswith("角色：所有登录用户")
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert op["description"].startswith("角色："), (method, path)
            for status, answer in op["responses"].items():
                if int(status) >= 400:
                    assert answer["content"]["application/json"]["schema"] == error
                    assert CHINESE.search(answer["description"]), (method, path, status)
            refusals = set(op["responses"])
            assert "422" in refusals
            if path.startswith("/public/") or path in (
                "/auth/login",
                "/health",
                "/health/live",
                "/health/ready",
            ):
                assert "403" not in refusals, (method, path)
            else:
                assert {"401", "403"} <= refusals, (method, path)
    login = spec["paths"]["/auth/login"]["post"]["responses"]
    assert {"401", "423", "429"} <= set(login)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert '"detail"' not in json.dumps(spec)
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "rule"}
    codes = spec["components"]["schemas"]["ErrorCode"]["enum"]
    assert {"materials_locked", "password_change_required", "forbidden"} <= set(codes)


async def test_docs_are_served(app: FastAPI) -> None:
    assert (await get(app, "/docs")).status_code == 200
    assert (await get(app, "/openapi.json")).json()["info"]["title"].startswith("庆元县")


async def test_unknown_routes_and_methods_answer_in_the_error_shape(app: FastAPI) -> None:
    missing = await get(app, "/nowhere")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        wrong = await client.delete("/cycles")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "invalid_input"


async def test_the_rubric_lists_the_23_items_with_points_and_category_names(api: Api) -> None:
    answer = (await api.get("office", "/rubric", expect=200)).json()
    assert (answer["standard"], answer["total"]) == ("GB/T 19580-2012", 1000)
    assert len(answer["items"]) == 23
    assert sum(item["points"] for item in answer["items"]) == 1000
    first = answer["items"][0]
    assert (first["code"], first["name"], first["points"]) == ("4.1.2", "高层领导的作用", 50)
    assert (first["category"], first["category_name"]) == ("4.1", "领导")
    results = next(c for c in answer["categories"] if c["code"] == "4.7")
    assert (results["name"], results["points"]) == ("结果", 400)


def test_every_field_of_every_schema_is_described(app: FastAPI) -> None:
    schemas = app.openapi()["components"]["schemas"]
    undescribed = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, prop in schema.get("properties", {}).items()
        if not CHINESE.search(prop.get("description", ""))
    ]
    assert undescribed == []
