"""Service settings, read once from ``QAWARD_*`` environment variables (DESIGN.md §5.2)."""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QAWARD_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("data")
    database_url: str = ""
    """SQLAlchemy async URL; empty means a SQLite file under ``data_dir``."""

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_task_queue: str = "quality-award"
    temporal_ui_port: int = 8233
    temporal_tls: bool = False
    temporal_api_key: SecretStr | None = None

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    audit_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    """HMAC key of the audit chain and its checkpoints (SECURITY.md); never stored with them."""
    audit_checkpoint_every: int = Field(default=100, ge=1)
    """A signed checkpoint of the audit chain's head every this many entries."""
    token_ttl_minutes: int = Field(default=480, ge=1)
    bootstrap_office_username: str = "office"
    bootstrap_office_password: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    bootstrap_password_change: bool | None = None
    """Must the bootstrap office account change its password at first login? Empty means
    yes in production, no in development and test."""
    login_max_failures: int = Field(default=10, ge=1)
    """Failed logins for one account (from any address) before it is locked."""
    login_lockout_minutes: int = Field(default=15, ge=1)
    """The first lock of an account; each further failure while over the limit doubles it."""
    login_client_max_failures: int = Field(default=5, ge=1)
    """Failed logins from one client address before that address must wait (429)."""
    login_client_delay_seconds: int = Field(default=60, ge=1)
    """The first wait of a throttled address; each further failure doubles it."""
    login_failure_window_minutes: int = Field(default=60, ge=1)
    """Failures older than this (counted from the latest one) are forgotten."""
    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list
    )
    """Reverse proxies whose ``X-Forwarded-For`` is believed (addresses or CIDR ranges)."""
    max_json_bytes: int = Field(default=1024 * 1024, ge=1)
    """Largest request body other than a material upload."""
    max_material_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    max_materials_per_application: int = Field(default=30, ge=1)
    max_material_total_bytes: int = Field(default=200 * 1024 * 1024, ge=1)
    """All materials of one application together."""
    objection_rate_limit_per_hour: int = Field(default=5, ge=1)

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_sender: str = "qaward@localhost"

    idempotency_stale_seconds: int = Field(default=600, ge=1)
    """A command's ``Idempotency-Key`` whose request never answered (its API process died)
    is taken over by a retry after this long; until then the retry gets 409."""
    clock_offset_seconds: float = 0.0
    """Business clock = wall clock + this (development and test only: the chaos run, `make
    chaos`, places the business day just before a deadline's midnight on a real-time dev
    server). Cycles the API opens carry it into their workflows. Refused in production."""

    log_level: str = "INFO"
    log_json: bool = False

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        """``10.0.0.1, 172.16.0.0/12`` as well as a JSON list; a bad entry is refused."""
        if isinstance(value, str):
            value = [part for part in value.replace(",", " ").split() if part]
        if isinstance(value, list):
            return [ip_network(str(part).strip(), strict=False) for part in value]
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment == "production":
            for name in ("secret_key", "bootstrap_office_password", "audit_key"):
                value: SecretStr = getattr(self, name)
                if value.get_secret_value() in ("", PLACEHOLDER_SECRET):
                    raise ValueError(
                        f"QAWARD_{name.upper()} 仍为占位值，生产环境必须设置 / "
                        f"QAWARD_{name.upper()} is still a placeholder; set it in production"
                    )
        return self

    @model_validator(mode="after")
    def _refuse_clock_offset_in_production(self) -> Settings:
        if self.environment == "production" and self.clock_offset_seconds:
            raise ValueError(
                "QAWARD_CLOCK_OFFSET_SECONDS 仅用于开发和测试，生产环境必须为 0 / "
                "QAWARD_CLOCK_OFFSET_SECONDS is for development and test only; 0 in production"
            )
        return self

    @property
    def bootstrap_must_change_password(self) -> bool:
        if self.bootstrap_password_change is not None:
            return self.bootstrap_password_change
        return self.environment == "production"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'qaward.sqlite3').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
