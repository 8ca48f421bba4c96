"""An SMTP server in the test process (aiosmtpd) that keeps what it received.

It runs in its own thread (aiosmtpd's `Controller`) on a free port of 127.0.0.1. Tests
make it refuse a recipient for good (550), answer "try later" (451) a number of times,
or hold every mail unanswered (as a relay that hangs) until released.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    envelope_to: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])  # decoded from RFC 2047 by the default policy

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",))
        assert body is not None
        return str(body.get_content())


@dataclass
class Inbox:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    """Recipients answered 550 (a permanent refusal)."""
    fail_next: int = 0
    """So many DATA commands are answered 451 (try again later)."""
    holding: bool = False
    """While set, DATA gets no answer; `held` counts the mails waiting."""
    held: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 邮箱不存在 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return "451 4.3.0 请稍后再试 try again later"
        if self.holding:
            self.held += 1
            while self.holding:
                await asyncio.sleep(0.02)
            return "451 4.3.0 held, dropped"  # its sender is gone by now
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 2.0.0 OK"

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if address in r.envelope_to]

    def message_ids(self) -> list[str]:
        with self._lock:
            return [r.message_id for r in self.received]


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.holding = False
        controller.stop()
