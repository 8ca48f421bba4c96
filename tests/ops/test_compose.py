"""The production compose file wires PostgreSQL, Temporal, its UI and the service's images."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from qaward.settings import Settings
from tests.ops.conftest import REPO

SERVICES = {
    "postgresql",
    "temporal",
    "temporal-ui",
    "migrate",
    "api",
    "worker",
    "prometheus",
    "mailpit",
}
OWN_IMAGES = ("migrate", "api", "worker")
LONG_RUNNING = SERVICES - {"migrate"}
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?::(?P<rule>[?-])(?P<word>[^}]*))?\}")


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return loaded


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = _compose()["services"]
    return found


def _environment(service: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in service.get("environment", {}).items()}


def _substituted(value: str) -> str:
    """The value compose passes when the operator sets only the required (``:?``) variables."""

    def resolve(match: re.Match[str]) -> str:
        if match["rule"] == "-":
            return match["word"]
        if match["name"] == "QAWARD_PAYLOAD_KEY":
            return "ab" * 32  # the operator's `openssl rand -hex 32`
        return f"{match['name'].lower().replace('_', '-')}-value"

    return VARIABLE.sub(resolve, value)


def _waits_for(service: dict[str, Any]) -> dict[str, str]:
    return {name: rule["condition"] for name, rule in service.get("depends_on", {}).items()}


def test_the_services_are_defined(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) == SERVICES


def test_third_party_images_are_official_and_pinned(services: dict[str, dict[str, Any]]) -> None:
    assert services["postgresql"]["image"] == "postgres:15"
    assert services["temporal"]["image"].startswith("temporalio/auto-setup:1.")
    assert services["temporal-ui"]["image"].startswith("temporalio/ui:2.")


def test_own_services_are_built_from_the_repository_dockerfile(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in OWN_IMAGES:
        assert services[name]["build"] == "."
    assert {name: services[name]["command"] for name in OWN_IMAGES} == {
        "migrate": ["qaward", "migrate"],
        "api": ["qaward", "api"],
        "worker": ["qaward", "worker"],
    }


def test_every_long_running_service_has_a_healthcheck(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in LONG_RUNNING:
        healthcheck = services[name]["healthcheck"]
        assert healthcheck["test"][0] in ("CMD", "CMD-SHELL"), name
        assert not healthcheck.get("disable", False), name


def test_the_one_shot_migration_is_awaited_by_completion_not_health(
    services: dict[str, dict[str, Any]],
) -> None:
    assert services["migrate"]["healthcheck"] == {"disable": True}
    assert services["migrate"]["restart"] == "no"
    for name in ("api", "worker"):
        assert _waits_for(services[name])["migrate"] == "service_completed_successfully"


def test_start_order_waits_for_healthy_dependencies(services: dict[str, dict[str, Any]]) -> None:
    assert _waits_for(services["temporal"]) == {"postgresql": "service_healthy"}
    assert _waits_for(services["temporal-ui"]) == {"temporal": "service_healthy"}
    assert _waits_for(services["migrate"]) == {"postgresql": "service_healthy"}
    for name in ("api", "worker"):
        assert _waits_for(services[name])["temporal"] == "service_healthy"


def test_postgresql_is_checked_with_pg_isready(services: dict[str, dict[str, Any]]) -> None:
    assert "pg_isready" in services["postgresql"]["healthcheck"]["test"]


def test_temporal_runs_on_the_postgresql_service(services: dict[str, dict[str, Any]]) -> None:
    temporal = _environment(services["temporal"])
    postgresql = _environment(services["postgresql"])

    assert temporal["DB"] == "postgres12"
    assert temporal["POSTGRES_SEEDS"] == "postgresql"
    assert temporal["POSTGRES_USER"] == postgresql["POSTGRES_USER"]
    assert temporal["POSTGRES_PWD"] == postgresql["POSTGRES_PASSWORD"]
    assert _environment(services["temporal-ui"])["TEMPORAL_ADDRESS"] == "temporal:7233"


def test_own_services_share_one_production_configuration(
    services: dict[str, dict[str, Any]],
) -> None:
    postgresql = _environment(services["postgresql"])
    for name in OWN_IMAGES:
        env = _environment(services[name])
        url = make_url(_substituted(env["QAWARD_DATABASE_URL"]))

        assert env["QAWARD_ENVIRONMENT"] == "production"
        assert env["QAWARD_TEMPORAL_ADDRESS"] == "temporal:7233"
        assert url.drivername == "postgresql+asyncpg"
        assert (url.host, url.username) == ("postgresql", postgresql["POSTGRES_USER"])
        assert url.database == postgresql["POSTGRES_DB"]


def test_secrets_must_be_set_by_the_operator(services: dict[str, dict[str, Any]]) -> None:
    for name in OWN_IMAGES:
        env = _environment(services[name])
        for secret in (
            "QAWARD_SECRET_KEY",
            "QAWARD_BOOTSTRAP_OFFICE_PASSWORD",
            "QAWARD_PAYLOAD_KEY",
        ):
            assert env[secret].startswith(f"${{{secret}:?"), (name, secret)
        assert "${POSTGRES_PASSWORD:?" in env["QAWARD_DATABASE_URL"]
    assert _environment(services["postgresql"])["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )


def test_every_qaward_variable_is_a_setting_the_service_accepts(
    services: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = {f"QAWARD_{name.upper()}" for name in Settings.model_fields}
    for name in OWN_IMAGES:
        env = _environment(services[name])
        assert set(env) <= fields, set(env) - fields
        for key, value in env.items():
            monkeypatch.setenv(key, _substituted(value))
        settings = Settings(_env_file=None)
        assert settings.environment == "production"


def test_published_ports(services: dict[str, dict[str, Any]]) -> None:
    assert services["api"]["ports"] == ["8000:8000"]
    assert _environment(services["api"])["QAWARD_API_HOST"] == "0.0.0.0"
    assert services["temporal-ui"]["ports"] == ["127.0.0.1:8233:8080"]
    assert services["prometheus"]["ports"] == ["127.0.0.1:9090:9090"]
    assert services["mailpit"]["ports"] == ["127.0.0.1:8025:8025"]
    for name in ("postgresql", "temporal", "migrate", "worker"):
        assert "ports" not in services[name], name


def test_dockerfile_installs_with_the_constraints_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (REPO / "Dockerfile").read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]

    assert instructions[0].startswith("FROM python:3.11-slim")
    assert "RUN pip install -c constraints.txt ." in instructions
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users
    assert users[-1] not in ("root", "0")
    assert instructions[-1] == 'CMD ["qaward", "api"]'


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = set((REPO / ".dockerignore").read_text().split())

    assert {".git", ".venv", "data", ".env", "tests"} <= ignored
    assert "README.md" not in ignored  # pyproject.toml names it as the package readme
    assert Path(REPO / "README.md").is_file()


def test_prometheus_scrapes_the_workers_sdk_metrics(services: dict[str, dict[str, Any]]) -> None:
    worker = _environment(services["worker"])
    port = int(worker["QAWARD_METRICS_PORT"])
    assert worker["QAWARD_METRICS_HOST"] == "0.0.0.0"
    config = yaml.safe_load(_compose()["configs"]["prometheus"]["content"])
    [job] = config["scrape_configs"]
    assert job["dns_sd_configs"] == [{"names": ["worker"], "type": "A", "port": port}]
    assert services["prometheus"]["profiles"] == ["monitoring"]


def test_the_temporal_ui_decodes_through_the_api_codec(
    services: dict[str, dict[str, Any]],
) -> None:
    ui = _environment(services["temporal-ui"])
    api = _environment(services["api"])
    assert ui["TEMPORAL_CODEC_ENDPOINT"] == f"http://127.0.0.1:{api['QAWARD_API_PORT']}/codec"
    assert ui["TEMPORAL_CODEC_INCLUDE_CREDENTIALS"] == "true"
    published = services["temporal-ui"]["ports"][0].rsplit(":", 1)[0]
    assert api["QAWARD_TEMPORAL_UI_ORIGIN"] == f"http://{published}"


def test_mailpit_runs_only_for_staging(services: dict[str, dict[str, Any]]) -> None:
    assert services["mailpit"]["profiles"] == ["staging"]
    assert services["mailpit"]["image"].startswith("axllent/mailpit:v1.")
    assert all("profiles" not in services[name] for name in SERVICES - {"mailpit", "prometheus"})


def test_a_real_relay_is_reached_with_starttls_and_a_login(
    services: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _environment(services["worker"])
    for key, value in env.items():
        monkeypatch.setenv(key, _substituted(value))
    relay = {
        "QAWARD_SMTP_HOST": "smtp.example.gov.cn",
        "QAWARD_SMTP_USER": "qaward",
        "QAWARD_SMTP_PASSWORD": "relay-password",
    }
    for key, value in relay.items():
        monkeypatch.setenv(key, value)
    settings = Settings(_env_file=None)
    assert (settings.smtp_port, settings.smtp_security) == (587, "starttls")
    assert settings.smtp_password.get_secret_value() == "relay-password"
    assert settings.digest_hour == 8


def test_the_apis_data_folder_is_on_a_named_volume_the_image_lets_it_write(
    services: dict[str, dict[str, Any]],
) -> None:
    """Materials and the audit checkpoint live in the API's data folder: recreating the
    container must not lose them, and the image's unprivileged user must own the folder
    (a new named volume takes the ownership of the image's directory)."""
    mounts = dict(volume.split(":", 1)[::-1] for volume in services["api"]["volumes"])

    assert mounts["/home/qaward/data"] in _compose()["volumes"]
    assert "install -d -o qaward -g qaward /home/qaward/data" in (REPO / "Dockerfile").read_text()
