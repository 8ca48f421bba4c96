"""User accounts and their bearer tokens (only the tokens' SHA-256 digests are stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import AccessToken, Organization, Reviewer, User


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


def holder_of(session: Session, token_hash: str) -> tuple[User, datetime] | None:
    """The account a token digest belongs to, with the token's expiry."""
    found = session.execute(
        select(User, AccessToken.expires_at)
        .join(AccessToken, AccessToken.user_id == User.id)
        .where(AccessToken.token_hash == token_hash)
    ).first()
    return None if found is None else (found[0], found[1])


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
