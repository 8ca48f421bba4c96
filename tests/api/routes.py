"""Every operation of the app, found by walking its routers (included routers nest).

The console's HTML pages (`web/`, `include_in_schema=False`) are not API operations: their
role gates are tested in `tests/web`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute


def _walk(routes: Sequence[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            if route.include_in_schema:
                yield route
        elif hasattr(route, "original_router"):  # FastAPI's included-router branch
            yield from _walk(route.original_router.routes)


def operations(app: FastAPI) -> dict[tuple[str, str], APIRoute]:
    return {
        (method, route.path): route for route in _walk(app.routes) for method in route.methods or ()
    }
