"""The SMTP settings (issue #15): a misconfigured relay is refused at start-up with one
line naming the settings; none configured means no delivery at all."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from pydantic import ValidationError

from activities.mailer import MailConfig, build_message
from qaward.preflight import settings_error
from qaward.settings import Settings
from services.attachments import Attachment
from worker.delivery import DeliveryConfig


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("QAWARD_"):
            monkeypatch.delenv(key)


def _read(monkeypatch: pytest.MonkeyPatch, **values: str) -> Settings:
    for name, value in values.items():
        monkeypatch.setenv(f"QAWARD_{name.upper()}", value)
    return Settings(_env_file=None)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"smtp_sender": "not an address"}, "QAWARD_SMTP_SENDER"),
        ({"smtp_user": "qaward"}, "QAWARD_SMTP_PASSWORD"),
        ({"smtp_password": "s3cret-value"}, "QAWARD_SMTP_USER"),
        ({"smtp_security": "tls", "smtp_port": "587"}, "QAWARD_SMTP_SECURITY"),
        ({"smtp_security": "starttls", "smtp_port": "465"}, "QAWARD_SMTP_PORT"),
        ({"smtp_security": "ssl"}, "QAWARD_SMTP_SECURITY"),
    ],
)
def test_a_misconfigured_relay_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, str], named: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _read(monkeypatch, smtp_host="smtp.example.com", **values)
    line = settings_error(caught.value).line
    assert named in line
    assert "\n" not in line
    assert line.startswith("错误：")
    assert "s3cret-value" not in line


def test_production_refuses_a_login_in_clear_text(monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = dict.fromkeys(("secret_key", "audit_key", "bootstrap_office_password"), "x" * 20)
    secrets["payload_key"] = "b" * 64
    with pytest.raises(ValidationError) as caught:
        _read(
            monkeypatch,
            environment="production",
            smtp_host="smtp.example.com",
            smtp_user="qaward",
            smtp_password="s3cret-value",
            **secrets,
        )
    assert "QAWARD_SMTP_SECURITY=starttls" in settings_error(caught.value).line
    relay = _read(monkeypatch, smtp_security="starttls", smtp_port="587")
    assert DeliveryConfig.from_settings(relay) == DeliveryConfig(
        mail=MailConfig(
            host="smtp.example.com",
            port=587,
            sender="qaward@localhost",
            user="qaward",
            password="s3cret-value",
            security="starttls",
        ),
        digest_hour=8,
    )


def test_without_a_relay_nothing_is_delivered(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _read(monkeypatch, smtp_user="ignored")  # not checked: nothing is sent
    assert DeliveryConfig.from_settings(settings) is None
    assert _read(monkeypatch, digest_hour="").digest_hour is None


def test_the_mail_is_utf8_with_encoded_headers_and_named_attachments() -> None:
    config = MailConfig(host="127.0.0.1", port=25, sender="qaward@qingyuan.example")
    report = Attachment("资料评审反馈报告.pdf", "application/pdf", b"%PDF-1.7 test")
    message = build_message(
        config,
        to="contact-a@example.com",
        subject="2026年度庆元县人民政府质量奖现场评审通知",
        body="贵单位已通过资料评审。",
        message_id="<notice-1.email.abc@qingyuan.example>",
        date=datetime(2026, 12, 2, tzinfo=UTC),
        attachments=[report],
    )
    raw = message.as_bytes()
    assert b"=?utf-8?" in raw  # the subject as RFC 2047 encoded words, not raw UTF-8
    assert max(raw) < 128  # 7-bit clean: no SMTPUTF8 needed from the relay
    read = message_from_bytes(raw, policy=policy.default)
    assert read["Subject"] == "2026年度庆元县人民政府质量奖现场评审通知"
    assert read["From"].addresses[0].display_name == "庆元县人民政府质量奖评审办"
    assert read["Message-ID"] == "<notice-1.email.abc@qingyuan.example>"
    body = read.get_body(("plain",))
    assert body is not None
    assert "贵单位已通过资料评审。" in body.get_content()
    (attached,) = read.iter_attachments()
    assert attached.get_filename() == "资料评审反馈报告.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_content() == b"%PDF-1.7 test"
