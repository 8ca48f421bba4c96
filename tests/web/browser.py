"""A real browser on the console: Chromium (the distribution's, never a downloaded one)
driven by Playwright, the app served by uvicorn in the test process on a free port, one
browser context (cookie jar) per user."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = (
    "Chromium is missing: install it with `sudo apt-get install chromium fonts-noto-cjk` "
    "(or run `make install` as root)"
)
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """The app on http://127.0.0.1:<free port> until the block ends."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(INSTALL_HINT, pytrace=False)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


@dataclass
class People:
    """Each user's own browser window, signed in as that user."""

    browser: Browser
    base: str
    passwords: dict[str, str]
    contexts: dict[str, BrowserContext] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)

    async def as_(self, username: str) -> Page:
        if username not in self.pages:
            context = await self.browser.new_context(
                viewport={"width": 1280, "height": 860}, locale="zh-CN"
            )
            context.set_default_timeout(20_000)
            self.contexts[username] = context
            self.pages[username] = await context.new_page()
        page = self.pages[username]
        await page.goto(self.base + "/")
        if "/login" in page.url:  # first time, or the session ended while time was skipped
            await page.fill('form[action="/login"] input[name="username"]', username)
            await page.fill(
                'form[action="/login"] input[name="password"]', self.passwords[username]
            )
            await page.click('form[action="/login"] button[type="submit"]')
            await page.wait_for_load_state()
        return page

    async def open(self, username: str, path: str) -> Page:
        page = await self.as_(username)
        await page.goto(self.base + path)
        return page

    async def close(self) -> None:
        for context in self.contexts.values():
            await context.close()


async def fill_form(
    page: Page,
    action: str,
    values: dict[str, Any] | None = None,
    button: str | None = None,
    refused: bool = False,
) -> None:
    """Fill the form posting to `action` as a person would and submit it; waits for the next
    page, and unless `refused`, checks that it shows no error. Lists tick checkboxes; True
    ticks one; a `Path` is a file to upload; other values fill or select."""
    form = page.locator(f'form[method="post"][action="{action}"]').first
    for name, value in (values or {}).items():
        if isinstance(value, Path):
            await form.locator(f'input[name="{name}"]').set_input_files(str(value))
        elif isinstance(value, list):
            for item in value:
                await form.locator(f'input[name="{name}"][value="{item}"]').check()
        elif value is True:
            await form.locator(f'input[name="{name}"]').check()
        else:
            field_ = form.locator(f'[name="{name}"]').first
            tag = await field_.evaluate("e => e.tagName")
            if tag == "SELECT":
                await field_.select_option(str(value))
            else:
                await field_.fill(str(value))
    submit = form.locator(button or 'button[type="submit"]').first
    async with page.expect_navigation():
        await submit.click()
    errors = await page.locator(".error").all_inner_texts()
    if not refused:
        assert not errors, f"{action}: {errors}"
    else:
        assert errors, f"{action} was not refused"


async def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
