"""Service settings, read once from ``QAWARD_*`` environment variables (DESIGN.md §5.2)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    token_ttl_minutes: int = Field(default=480, ge=1)
    bootstrap_office_username: str = "office"
    bootstrap_office_password: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    max_material_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    objection_rate_limit_per_hour: int = Field(default=5, ge=1)

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_sender: str = "qaward@localhost"

    log_level: str = "INFO"
    log_json: bool = False

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment == "production":
            for name in ("secret_key", "bootstrap_office_password"):
                value: SecretStr = getattr(self, name)
                if value.get_secret_value() in ("", PLACEHOLDER_SECRET):
                    raise ValueError(
                        f"QAWARD_{name.upper()} 仍为占位值，生产环境必须设置 / "
                        f"QAWARD_{name.upper()} is still a placeholder; set it in production"
                    )
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'qaward.sqlite3').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
