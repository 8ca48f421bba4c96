"""E-mail over SMTP (aiosmtplib): the message the delivery sends, and sending it.

Chinese subjects and bodies in UTF-8: the subject and display names as RFC 2047 encoded
words, the body as ``text/plain; charset="utf-8"``, attachment file names per RFC 2231 —
what every mail client reads, with no SMTPUTF8 needed from the relay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from qaward.settings import Settings
from services.attachments import Attachment

SENDER_NAME = "庆元县人民政府质量奖评审办"


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    security: str = "none"
    """``none``, ``starttls`` or ``tls`` (QAWARD_SMTP_SECURITY)."""
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, s: Settings) -> MailConfig | None:
        """None when no relay is configured (QAWARD_SMTP_HOST empty): nothing is sent."""
        if not s.smtp_host:
            return None
        return cls(
            host=s.smtp_host,
            port=s.smtp_port,
            sender=s.smtp_sender,
            user=s.smtp_user,
            password=s.smtp_password.get_secret_value(),
            security=s.smtp_security,
            timeout=s.smtp_timeout_seconds,
        )


class PermanentRefusal(Exception):
    """The relay refused the mail for good (a 5xx answer): retrying sends nothing."""


class NotAccepted(Exception):
    """The relay answered that it did not take the mail (a 4xx answer, or no connection):
    nothing was sent, a later attempt may succeed."""


def build_message(
    config: MailConfig,
    *,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    date: datetime,
    attachments: list[Attachment],
) -> EmailMessage:
    message = EmailMessage()
    local, _, domain = config.sender.partition("@")
    message["From"] = Address(SENDER_NAME, local, domain)
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = "zh-CN"
    message.set_content(body, charset="utf-8", cte="base64")  # 7-bit clean for any relay
    for item in attachments:
        maintype, _, subtype = item.media_type.partition("/")
        message.add_attachment(
            item.content, maintype=maintype, subtype=subtype, filename=item.filename
        )
    return message


async def send(config: MailConfig, message: EmailMessage) -> None:
    """One SMTP transaction. Raises `PermanentRefusal` or `NotAccepted` when the relay
    said no; any other error (a timeout, a dropped connection) leaves it unknown whether
    the relay took the mail."""
    try:
        await aiosmtplib.send(
            message,
            hostname=config.host,
            port=config.port,
            username=config.user or None,
            password=config.password or None,
            use_tls=config.security == "tls",
            start_tls=config.security == "starttls",
            timeout=config.timeout,
        )
    except (aiosmtplib.SMTPReadTimeoutError, aiosmtplib.SMTPServerDisconnected):
        raise  # the mail may or may not have been taken: the caller keeps it `sending`
    except aiosmtplib.SMTPRecipientsRefused as error:
        refusal = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
        if all(r.code >= 500 for r in error.recipients):
            raise PermanentRefusal(refusal) from None
        raise NotAccepted(refusal) from None
    except aiosmtplib.SMTPResponseException as error:
        text = f"{error.code} {error.message}"
        if error.code >= 500:
            raise PermanentRefusal(text) from None
        raise NotAccepted(text) from None
    except (aiosmtplib.SMTPException, OSError) as error:
        raise NotAccepted(f"无法连接或使用 SMTP 服务器：{error}") from None
