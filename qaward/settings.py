"""Service settings, read once from ``QAWARD_*`` environment variables (DESIGN.md §5.2)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"
DEVELOPMENT_PAYLOAD_KEY = hashlib.sha256(b"qaward development payload key").digest()
"""Stands in for the placeholder outside production: histories are sealed, not secret."""


def parse_payload_key(text: str, setting: str) -> bytes:
    """A 256-bit key written as 64 hex digits or as base64 (``openssl rand -base64 32``)."""
    text = text.strip()
    try:
        key = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != 32:
        raise ValueError(
            f"{setting} 必须是 256 位密钥（64 个十六进制字符或 base64，"
            "可用 openssl rand -hex 32 生成） / "
            f"{setting} must be a 256-bit key (64 hex digits or base64; openssl rand -hex 32)"
        )
    return key


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
    api_workers: int = Field(default=1, ge=1, le=64)
    """`qaward api` processes serving one port (uvicorn workers); `qaward up` is always one."""
    public_cache_seconds: float = Field(default=2.0, ge=0, le=3600)
    """How long a public page may be served from a process's cache before it is rendered
    again (0: never cached); this process's own writes end it at once (`api.public_cache`)."""

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

    payload_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    """AES-256-GCM key sealing every Temporal payload (``qaward.codec``)."""
    payload_key_id: str = Field(default="k1", min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    """Written into each sealed payload; change it together with the key to rotate."""
    payload_old_keys: SecretStr = SecretStr("")
    """Earlier keys still needed to read old histories: ``id:key,id:key``."""
    temporal_ui_origin: str = ""
    """The Temporal UI's origin, the only one allowed to call ``/codec`` from a browser;
    empty means ``http://127.0.0.1:{temporal_ui_port}`` (the embedded stack's UI)."""
    ready_max_delivery_backlog: int = Field(default=500, ge=0)
    """``/health/ready`` fails while more messages than this wait for delivery."""
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=9464, ge=0, le=65535)
    """The worker's Prometheus endpoint (SDK runtime metrics, ``/metrics``); 0 disables."""

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_sender: str = "qaward@localhost"
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    """``starttls`` upgrades a plain connection (port 587), ``tls`` is TLS from the start
    (port 465); ``none`` only for a relay on this host or network (Mailpit in staging)."""
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    digest_hour: int | None = Field(default=8, ge=0, le=23)
    """Beijing hour of the daily digest e-mail (每日摘要); empty turns the digest off."""

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
            for name in ("secret_key", "bootstrap_office_password", "audit_key", "payload_key"):
                value: SecretStr = getattr(self, name)
                if value.get_secret_value() in ("", PLACEHOLDER_SECRET):
                    raise ValueError(
                        f"QAWARD_{name.upper()} 仍为占位值，生产环境必须设置 / "
                        f"QAWARD_{name.upper()} is still a placeholder; set it in production"
                    )
        _ = self.payload_keys  # a malformed key is refused at start-up, not at first use
        return self

    @field_validator("digest_hour", mode="before")
    @classmethod
    def _empty_is_off(cls, value: object) -> object:
        """``QAWARD_DIGEST_HOUR=`` (empty) turns the digest off."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _refuse_smtp_misconfiguration(self) -> Settings:
        """Refused at start-up rather than found out by the first notice (issue #15)."""
        problem = _smtp_problem(self)
        if problem is not None:
            raise ValueError(problem)
        return self

    @property
    def payload_keys(self) -> tuple[str, dict[str, bytes]]:
        """The current key id and every key by id (the current one and the older ones)."""
        keys: dict[str, bytes] = {}
        for entry in self.payload_old_keys.get_secret_value().replace(",", " ").split():
            key_id, _, text = entry.partition(":")
            keys[key_id] = parse_payload_key(text, f"QAWARD_PAYLOAD_OLD_KEYS ({key_id})")
        current = self.payload_key.get_secret_value()
        if current == PLACEHOLDER_SECRET:
            keys[self.payload_key_id] = DEVELOPMENT_PAYLOAD_KEY
        else:
            keys[self.payload_key_id] = parse_payload_key(current, "QAWARD_PAYLOAD_KEY")
        return self.payload_key_id, keys

    @property
    def ui_origin(self) -> str:
        return self.temporal_ui_origin or f"http://127.0.0.1:{self.temporal_ui_port}"

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


def _smtp_problem(s: Settings) -> str | None:
    if not s.smtp_host:
        return None
    local, at, domain = s.smtp_sender.partition("@")
    if not at or not local or not domain or " " in s.smtp_sender or "@" in domain:
        return (
            f"QAWARD_SMTP_SENDER={s.smtp_sender} 不是电子邮箱地址 / "
            f"QAWARD_SMTP_SENDER={s.smtp_sender} is not an e-mail address"
        )
    if bool(s.smtp_user) != bool(s.smtp_password.get_secret_value()):
        return (
            "QAWARD_SMTP_USER 与 QAWARD_SMTP_PASSWORD 须同时设置或同时留空 / "
            "set both QAWARD_SMTP_USER and QAWARD_SMTP_PASSWORD, or neither"
        )
    if s.smtp_user and s.smtp_security == "none" and s.environment == "production":
        return (
            "生产环境不得以明文发送 SMTP 密码，请设置 QAWARD_SMTP_SECURITY=starttls 或 tls / "
            "production refuses an SMTP login in clear text; "
            "set QAWARD_SMTP_SECURITY=starttls or tls"
        )
    clash = {("tls", 25): "starttls", ("tls", 587): "starttls", ("starttls", 465): "tls"}
    if (wanted := clash.get((s.smtp_security, s.smtp_port))) is not None:
        return (
            f"QAWARD_SMTP_PORT={s.smtp_port} 与 QAWARD_SMTP_SECURITY={s.smtp_security} 不匹配"
            f"（该端口应使用 {wanted}） / QAWARD_SMTP_PORT={s.smtp_port} does not go with "
            f"QAWARD_SMTP_SECURITY={s.smtp_security} (that port wants {wanted})"
        )
    return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
