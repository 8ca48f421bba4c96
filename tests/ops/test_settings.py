"""Settings come from ``QAWARD_*`` variables; production refuses placeholder secrets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from qaward.preflight import settings_error
from qaward.settings import PLACEHOLDER_SECRET, Settings, get_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("QAWARD_"):
            monkeypatch.delenv(key)


def _read() -> Settings:
    return Settings(_env_file=None)


def _production(monkeypatch: pytest.MonkeyPatch, **secrets: str) -> None:
    monkeypatch.setenv("QAWARD_ENVIRONMENT", "production")
    for name, value in secrets.items():
        monkeypatch.setenv(f"QAWARD_{name.upper()}", value)


def test_defaults_are_the_embedded_setup_on_this_machine() -> None:
    settings = _read()

    assert settings.environment == "development"
    assert settings.temporal_address == "127.0.0.1:7233"
    assert settings.temporal_ui_port == 8233
    assert (settings.api_host, settings.api_port) == ("127.0.0.1", 8000)
    assert settings.effective_database_url == (
        f"sqlite+aiosqlite:///{Path('data').resolve() / 'qaward.sqlite3'}"
    )


def test_variables_with_the_prefix_override_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QAWARD_API_PORT", "9000")
    monkeypatch.setenv("QAWARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("QAWARD_TEMPORAL_TLS", "true")

    settings = _read()

    assert settings.api_port == 9000
    assert settings.temporal_tls is True
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path / 'qaward.sqlite3'}"


def test_a_database_url_replaces_the_sqlite_default(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+asyncpg://qaward:pw@db:5432/qaward"
    monkeypatch.setenv("QAWARD_DATABASE_URL", url)

    assert _read().effective_database_url == url


def test_placeholder_secrets_are_accepted_in_development() -> None:
    assert _read().secret_key.get_secret_value() == PLACEHOLDER_SECRET


@pytest.mark.parametrize(
    "missing", ["secret_key", "bootstrap_office_password", "audit_key", "payload_key"]
)
@pytest.mark.parametrize("value", [None, "", PLACEHOLDER_SECRET])
def test_production_refuses_a_placeholder_or_empty_secret(
    monkeypatch: pytest.MonkeyPatch, missing: str, value: str | None
) -> None:
    others = {
        "secret_key": "k" * 32,
        "bootstrap_office_password": "a-long-password",
        "audit_key": "a" * 32,
        "payload_key": "b" * 64,
    }
    others.pop(missing)
    _production(monkeypatch, **others)
    if value is not None:
        monkeypatch.setenv(f"QAWARD_{missing.upper()}", value)

    with pytest.raises(ValidationError) as caught:
        _read()

    assert f"QAWARD_{missing.upper()}" in settings_error(caught.value).line


def test_production_starts_with_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    _production(
        monkeypatch,
        secret_key="k" * 32,
        bootstrap_office_password="a-long-password",
        audit_key="a" * 32,
        payload_key="b" * 64,
    )

    assert _read().environment == "production"


def test_production_refuses_a_business_clock_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {
        "secret_key": "k" * 32,
        "bootstrap_office_password": "pw" * 8,
        "audit_key": "a" * 32,
        "payload_key": "b" * 64,
    }
    _production(monkeypatch, clock_offset_seconds="3600", **secrets)

    with pytest.raises(ValidationError, match="QAWARD_CLOCK_OFFSET_SECONDS"):
        _read()
    monkeypatch.setenv("QAWARD_ENVIRONMENT", "test")
    assert _read().clock_offset_seconds == 3600.0


def test_the_bootstrap_password_change_is_forced_in_production_unless_turned_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("QAWARD_SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("QAWARD_BOOTSTRAP_OFFICE_PASSWORD", "a-real-password")
    monkeypatch.setenv("QAWARD_AUDIT_KEY", "a-real-audit-key")
    monkeypatch.setenv("QAWARD_PAYLOAD_KEY", "c" * 64)
    assert Settings(_env_file=None, environment="production").bootstrap_must_change_password
    assert not Settings(_env_file=None, environment="development").bootstrap_must_change_password
    assert not Settings(_env_file=None, environment="test").bootstrap_must_change_password
    monkeypatch.setenv("QAWARD_BOOTSTRAP_PASSWORD_CHANGE", "true")
    assert Settings(_env_file=None, environment="test").bootstrap_must_change_password
    monkeypatch.setenv("QAWARD_BOOTSTRAP_PASSWORD_CHANGE", "false")
    assert not Settings(_env_file=None, environment="production").bootstrap_must_change_password


def test_a_malformed_value_is_named_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAWARD_TOKEN_TTL_MINUTES", "0")
    monkeypatch.setenv("QAWARD_ENVIRONMENT", "staging")

    with pytest.raises(ValidationError) as caught:
        _read()
    line = settings_error(caught.value).line

    assert "QAWARD_TOKEN_TTL_MINUTES" in line
    assert "QAWARD_ENVIRONMENT" in line
    assert "staging" not in line
    assert "\n" not in line


def test_settings_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    try:
        first = get_settings()
        monkeypatch.setenv("QAWARD_API_PORT", "9100")
        assert get_settings() is first
        get_settings.cache_clear()
        assert get_settings().api_port == 9100
    finally:
        get_settings.cache_clear()


def test_trusted_proxies_are_read_as_a_list_of_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _read().trusted_proxies == []
    assert (_read().max_json_bytes, _read().login_client_max_failures) == (1024 * 1024, 5)
    monkeypatch.setenv("QAWARD_TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12 ::1")
    assert [str(n) for n in _read().trusted_proxies] == ["10.0.0.1/32", "172.16.0.0/12", "::1/128"]
    monkeypatch.setenv("QAWARD_TRUSTED_PROXIES", "not-an-address")
    with pytest.raises(ValidationError):
        _read()
