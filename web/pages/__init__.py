"""The console's pages, one router per module; `PAGES` is the order they are mounted in."""

from fastapi import APIRouter

from web.pages import auth, cycles, home

PAGES: list[APIRouter] = [
    auth.router,
    home.router,
    cycles.router,
]
