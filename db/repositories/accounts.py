"""User accounts and their bearer tokens (only the tokens' SHA-256 digests are stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.orm import Session

from db.models import AccessToken, Organization, Reviewer, User
from db.repositories.lookups import ORGANIZATIONS, REVIEWERS

_USERS = cast(Table, User.__table__)
_TOKENS = cast(Table, AccessToken.__table__)


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def username_taken(session: Session, username: str) -> bool:
    return session.scalar(select(User.id).where(User.username == username)) is not None


def has_role(session: Session, role: str) -> bool:
    return session.scalar(select(User.id).where(User.role == role).limit(1)) is not None


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def add(session: Session, user: User) -> None:
    """A new account, flushed: its id is known on return (and a taken name refused)."""
    session.add(user)
    session.flush()


def set_password(session: Session, user: User, password_hash: str, at: datetime) -> None:
    user.password_hash = password_hash
    user.password_changed_at = at
    user.must_change_password = False
    session.flush()


def set_active(session: Session, user: User, active: bool) -> None:
    user.active = active
    session.flush()


def link_codes(
    session: Session, reviewer_id: int | None, organization_id: int | None
) -> tuple[str | None, str | None]:
    """The reviewer code and the credit code an account is linked to (None where unlinked)."""
    reviewer_code = credit_code = None
    if reviewer_id is not None:
        reviewer_code = session.scalar(select(Reviewer.code).where(Reviewer.id == reviewer_id))
    if organization_id is not None:
        credit_code = session.scalar(
            select(Organization.credit_code).where(Organization.id == organization_id)
        )
    return reviewer_code, credit_code


@dataclass(frozen=True)
class TokenHolder:
    """The account a token stands for, as a request needs it, and the token's expiry."""

    user_id: int
    username: str
    role: str
    active: bool
    must_change_password: bool
    reviewer_id: int | None
    reviewer_code: str | None
    organization_id: int | None
    credit_code: str | None
    expires_at: datetime


def holder_of(session: Session, token_hash: str) -> TokenHolder | None:
    """The account a token digest belongs to, with its links' codes and the token's expiry:
    one query of plain columns, built once (it runs for every request)."""
    found = session.connection().execute(_HOLDER, {"token_hash": token_hash}).first()
    return None if found is None else TokenHolder(*tuple(found))


_HOLDER = (
    select(
        _USERS.c.id,
        _USERS.c.username,
        _USERS.c.role,
        _USERS.c.active,
        _USERS.c.must_change_password,
        _USERS.c.reviewer_id,
        REVIEWERS.c.code,
        _USERS.c.organization_id,
        ORGANIZATIONS.c.credit_code,
        _TOKENS.c.expires_at,
    )
    .join(_USERS, _TOKENS.c.user_id == _USERS.c.id)
    .outerjoin(REVIEWERS, REVIEWERS.c.id == _USERS.c.reviewer_id)
    .outerjoin(ORGANIZATIONS, ORGANIZATIONS.c.id == _USERS.c.organization_id)
    .where(_TOKENS.c.token_hash == bindparam("token_hash"))
)


def add_token(session: Session, user_id: int, token_hash: str, expires_at: datetime) -> None:
    session.add(AccessToken(token_hash=token_hash, user_id=user_id, expires_at=expires_at))


def drop_expired_tokens(session: Session, user_id: int, now: datetime) -> None:
    session.execute(
        delete(AccessToken).where(AccessToken.user_id == user_id, AccessToken.expires_at <= now)
    )


def drop_token(session: Session, token_hash: str) -> None:
    session.execute(delete(AccessToken).where(AccessToken.token_hash == token_hash))


def drop_tokens(session: Session, user_id: int, *, keep: str | None = None) -> None:
    """Every token of the account, except the one whose digest is `keep`."""
    query = delete(AccessToken).where(AccessToken.user_id == user_id)
    if keep is not None:
        query = query.where(AccessToken.token_hash != keep)
    session.execute(query)
