"""Who receives a notice, at which address (issue #15 item 2): the delivery workflow's
routing of the outbox, and its preparation of a day's digests. Synchronous functions of a
`Session`, run by the delivery activities in one transaction each.

Recipients by the notice's audience:

- ``applicant``: the organization's contact e-mail (`organizations.contact_email`);
- ``reviewer``: the reviewer's e-mail (`reviewers.email`);
- ``office``, ``committee``, ``government`` (a body as a whole): every active user of that
  role, each at their own e-mail;
- ``objector``: the contact the objector gave (§4(5)) when it is an e-mail address;
- ``public``: nobody by e-mail; the notice is on the portal (the outbox entry is marked
  ``portal``).

A recipient without a usable address gets a `no_address` row: visible to the office,
never retried on its own, sent by a resend once an address is entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from db.models import Notice, Organization, Reviewer, User
from db.repositories import accounts, deliveries, organizations, reviewers
from domain.contacts import is_valid_email
from domain.delivery import EMAIL, DeliveryStatus, digest_message_id, notice_message_id
from services import digest, todo

ROLE_AUDIENCES = frozenset({"office", "committee", "government", "supervisor"})
FOOTER = (
    "\n\n——\n此邮件由庆元县人民政府质量奖评审管理服务自动发送，请勿直接回复。"
    "通知全文以系统中公布的为准。"
)


@dataclass(frozen=True)
class Recipient:
    label: str
    """``organization:<credit code>``, ``reviewer:<code>``, ``user:<username>`` …"""
    address: str | None
    user_id: int | None = None


class _Directory:
    """The contacts one batch of notices needs, read once per batch."""

    def __init__(self, session: Session, notices: list[Notice]) -> None:
        self._session = session
        self.orgs: dict[int, Organization] = deliveries.organizations_by_ids(
            session, {n.organization_id for n in notices if n.organization_id is not None}
        )
        self.reviewers: dict[int, Reviewer] = deliveries.reviewers_by_ids(
            session, {n.reviewer_id for n in notices if n.reviewer_id is not None}
        )
        self._roles: dict[str, list[User]] = {}

    def users(self, role: str) -> list[User]:
        if role not in self._roles:
            self._roles[role] = deliveries.active_users_with_role(self._session, role)
        return self._roles[role]

    def recipients(self, notice: Notice) -> list[Recipient]:
        audience = notice.audience
        if audience == "applicant" and notice.organization_id is not None:
            org = self.orgs[notice.organization_id]
            return [Recipient(f"organization:{org.credit_code}", _usable(org.contact_email))]
        if audience == "reviewer" and notice.reviewer_id is not None:
            reviewer = self.reviewers[notice.reviewer_id]
            return [Recipient(f"reviewer:{reviewer.code}", _usable(reviewer.email))]
        if audience == "objector":
            return [self._objector(notice)]
        if audience in ROLE_AUDIENCES:
            users = self.users(audience)
            if not users:
                return [Recipient(f"role:{audience}", None)]
            return [Recipient(f"user:{u.username}", _usable(u.email), u.id) for u in users]
        return [Recipient(f"{audience}:-", None)]

    def _objector(self, notice: Notice) -> Recipient:
        # The notice key is `{cycle workflow id}:investigation_result:{objection number}`
        # (workflows.notice_texts.investigation_result).
        workflow_id, _, number = notice.key.rpartition(":investigation_result:")
        label = f"objector:{notice.cycle_year}-{number}"
        if not number.isdigit():
            return Recipient(label, None)
        contact = deliveries.objection_contact(self._session, workflow_id, int(number))
        return Recipient(label, _usable(contact))


def _usable(address: str | None) -> str | None:
    return address if address and is_valid_email(address) else None


def current_address(session: Session, label: str) -> str | None:
    """The address a recipient has now (for a resend of a `no_address` delivery)."""
    kind, _, ref = label.partition(":")
    if kind == "organization":
        org = organizations.by_credit_code(session, ref)
        return _usable(org.contact_email) if org else None
    if kind == "reviewer":
        reviewer = reviewers.by_code(session, ref)
        return _usable(reviewer.email) if reviewer else None
    if kind == "user":
        user = accounts.by_username(session, ref)
        return _usable(user.email) if user else None
    return None


def route_outbox(session: Session, limit: int, sender: str) -> int:
    """Turn up to `limit` pending outbox entries into deliveries; the number routed."""
    entries = deliveries.pending_outbox(session, limit)
    if not entries:
        return 0
    directory = _Directory(session, [notice for _, notice in entries])
    rows: list[dict[str, Any]] = []
    for entry, notice in entries:
        if notice.audience == "public":
            entry.status = "portal"
            continue
        rows += [_notice_row(notice, r, sender) for r in directory.recipients(notice)]
        entry.status = "routed"
    deliveries.add_all(session, rows)
    return len(entries)


def _notice_row(notice: Notice, to: Recipient, sender: str) -> dict[str, Any]:
    status = DeliveryStatus.PENDING if to.address else DeliveryStatus.NO_ADDRESS
    return {
        "key": f"notice:{notice.id}:{EMAIL}:{to.label}",
        "kind": "notice",
        "notice_id": notice.id,
        "user_id": to.user_id,
        "channel": EMAIL,
        "recipient": to.label,
        "address": to.address,
        "status": status.value,
        "attempts": 0,
        "interrupted": 0,
        "message_id": notice_message_id(notice.id, EMAIL, to.address, sender)
        if to.address
        else None,
        "subject": notice.title[:300],
        "body": notice.body + FOOTER,
    }


def prepare_digests(session: Session, day: date, at: datetime, sender: str) -> int:
    """One digest row per user with something to list on `day` (idempotent on user and
    day: the key); the number of users who have one."""
    rows: list[dict[str, Any]] = []
    facts = todo.gather_in(session)
    for user in deliveries.digest_candidates(session):
        address = _usable(user.email)
        tasks = digest.pending_tasks(session, user, facts, day)
        notices = digest.unread_notices(session, user, at)
        if address is None or not (tasks or notices):
            continue
        subject, body = digest.compose(user, day, tasks, notices)
        rows.append(
            {
                "key": f"digest:{user.id}:{day.isoformat()}",
                "kind": "digest",
                "user_id": user.id,
                "digest_on": day,
                "channel": EMAIL,
                "recipient": f"user:{user.username}",
                "address": address,
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "interrupted": 0,
                "message_id": digest_message_id(user.id, day, sender),
                "subject": subject[:300],
                "body": body + FOOTER,
            }
        )
    deliveries.add_all(session, rows)
    return len(rows)
