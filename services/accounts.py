"""Accounts: roles, argon2 passwords, expiring bearer tokens and login lockout (DESIGN §1, §7).

Tokens are opaque random strings; only their SHA-256 digest is stored, so a leaked table
grants nothing. The SQL is in `db.repositories.accounts` and `db.repositories.throttles`.
The caller (the request) owns the transaction, except for `login`, which must keep a
failed attempt even though it refuses (see `LoginPolicy` for the throttles).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from db.models import Throttle, User
from db.repositories import accounts as account_rows
from db.repositories import throttles
from db.session import Database, transaction
from domain.credit_code import is_valid_credit_code
from domain.dates import SHANGHAI
from domain.errors import DomainError, ErrorCode
from services import registry

HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
_DUMMY_HASH = HASHER.hash("not-a-password")


class Role(StrEnum):
    OFFICE = "office"  # 县评审办
    REVIEWER = "reviewer"  # 评审员
    COMMITTEE = "committee"  # 县评委会
    GOVERNMENT = "government"  # 县政府
    SUPERVISOR = "supervisor"  # 监督组
    APPLICANT = "applicant"  # 申报组织


OFFICIALS = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE, Role.GOVERNMENT})
"""Roles that read every application of a cycle (the supervisor only reads)."""


@dataclass(frozen=True)
class Viewer:
    """Who is asking: what the confidentiality rules need to know about a caller."""

    user_id: int
    username: str
    role: Role
    reviewer_id: int | None = None
    reviewer_code: str | None = None
    organization_id: int | None = None
    credit_code: str | None = None
    must_change_password: bool = False
    """Until the password is changed, only password change and logout are allowed."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    viewer: Viewer


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive timestamps; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(HASHER.hash, password)


async def _verify(password_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return HASHER.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH or password.isspace():
        raise DomainError(ErrorCode.INVALID_INPUT, f"密码至少{MIN_PASSWORD_LENGTH}位")


async def viewer_of(session: AsyncSession, user: User) -> Viewer:
    return await session.run_sync(_viewer, user)


def _viewer(session: Session, user: User) -> Viewer:
    reviewer_code, credit_code = account_rows.link_codes(
        session, user.reviewer_id, user.organization_id
    )
    return Viewer(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        reviewer_id=user.reviewer_id,
        reviewer_code=reviewer_code,
        organization_id=user.organization_id,
        credit_code=credit_code,
        must_change_password=user.must_change_password,
    )


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    reviewer_code: str | None = None,
    credit_code: str | None = None,
) -> User:
    """A new account; reviewers link to a pool member, applicants to a registered organization."""
    check_password_strength(password)
    if await session.run_sync(account_rows.username_taken, username):
        raise DomainError(ErrorCode.ALREADY_EXISTS, f"用户名 {username} 已存在")
    reviewer_id = organization_id = None
    if role == Role.REVIEWER:
        if not reviewer_code:
            raise DomainError(ErrorCode.INVALID_INPUT, "评审员账户须关联专家库中的评审员编号")
        reviewer_id = (await registry.get_reviewer(session, reviewer_code)).id
    elif role == Role.APPLICANT:
        if not credit_code:
            raise DomainError(ErrorCode.INVALID_INPUT, "申报组织账户须关联统一社会信用代码")
        if not is_valid_credit_code(credit_code.strip().upper()):
            raise DomainError(ErrorCode.INVALID_CREDIT_CODE, credit_code)
        organization_id = (await registry.get_organization(session, credit_code)).id
    elif reviewer_code or credit_code:
        raise DomainError(ErrorCode.INVALID_INPUT, "只有评审员和申报组织账户可以关联编号")
    user = User(
        username=username,
        display_name=display_name,
        role=role.value,
        password_hash=await hash_password(password),
        reviewer_id=reviewer_id,
        organization_id=organization_id,
        active=True,
        failed_logins=0,
    )
    await session.run_sync(account_rows.add, user)
    return user


async def ensure_bootstrap_office(
    session: AsyncSession, username: str, password: str, *, must_change_password: bool = False
) -> bool:
    """The first office account (from settings), made only when no office account exists.

    Its password is known to whoever deployed the service; outside development it must be
    changed at first login (`must_change_password`)."""
    if await session.run_sync(account_rows.has_role, Role.OFFICE.value):
        return False
    office = User(
        username=username,
        display_name="县评审办",
        role=Role.OFFICE.value,
        password_hash=await hash_password(password),
        active=True,
        failed_logins=0,
        must_change_password=must_change_password,
    )
    await session.run_sync(account_rows.add, office)
    return True


@dataclass(frozen=True)
class LoginPolicy:
    """Two throttles (OWASP: progressive delay rather than only a hard lock).

    One client address gets `client_max_failures` wrong guesses, then waits
    `client_delay`, doubled with every further failure. An account — known or not, so
    that both answer alike — is locked after `max_failures` failures from all addresses
    together, for `lockout`, doubled likewise. Keep the client limit the lower one, so
    that a single caller cannot lock an office account out. Failures older than `window`
    (counted from the latest) are forgotten.
    """

    token_ttl: timedelta
    max_failures: int
    lockout: timedelta
    client_max_failures: int
    client_delay: timedelta
    window: timedelta


MAX_BLOCK = timedelta(days=1)


def _client_key(client: str) -> str:
    return f"login-client:{client}"


def _account_key(username: str) -> str:
    return f"login-account:{username}"


def _blocked(row: Throttle, now: datetime) -> datetime | None:
    until = row.blocked_until
    return _aware(until) if until is not None and _aware(until) > now else None


def _shown(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _count_failure(
    row: Throttle, limit: int, base: timedelta, window: timedelta, now: datetime
) -> datetime | None:
    """One more failure; the instant the key is refused until, when this one blocks it."""
    if row.last_failure_at is not None and now - _aware(row.last_failure_at) > window:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    if row.failures < limit:
        return None
    doublings: int = min(row.failures - limit, 20)
    until: datetime = now + min(base * (2**doublings), MAX_BLOCK)
    row.blocked_until = until
    return until


def _locked(until: datetime) -> DomainError:
    return DomainError(ErrorCode.ACCOUNT_LOCKED, f"多次登录失败，账户锁定至{_shown(until)}")


def _throttled(until: datetime) -> DomainError:
    return DomainError(ErrorCode.RATE_LIMITED, f"登录失败次数过多，请于{_shown(until)}后再试")


@dataclass(frozen=True)
class _Reservation:
    """What counting this attempt as a failure in advance engaged."""

    client_until: datetime | None
    account_until: datetime | None


async def login(
    sessions: async_sessionmaker[AsyncSession],
    username: str,
    password: str,
    policy: LoginPolicy,
    now: datetime,
    client: str = "-",
) -> IssuedToken:
    """A token for good credentials, within the throttles of `LoginPolicy`.

    Every attempt is first counted as a failure, under the throttle rows' lock, and only
    then is the password checked (outside any transaction: argon2 is slow); a good
    password takes the count back. So concurrent guesses cannot slip past the limit.

    Unlike the rest of this module, `login` opens its own transactions (hence `sessions`,
    not the request's session): the counted failure must be committed before the slow
    check, so that concurrent attempts see it, and it must stay committed when the login
    is refused — a refusal rolls the request's transaction back.
    """
    keys = _client_key(client), _account_key(username)
    async with transaction(sessions) as session:
        rows = await session.run_sync(throttles.lock, keys)
        by_client, by_account = rows[keys[0]], rows[keys[1]]
        if (until := _blocked(by_client, now)) is not None:
            raise _throttled(until)
        if (until := _blocked(by_account, now)) is not None:
            raise _locked(until)
        reservation = _Reservation(
            _count_failure(
                by_client, policy.client_max_failures, policy.client_delay, policy.window, now
            ),
            _count_failure(by_account, policy.max_failures, policy.lockout, policy.window, now),
        )
    async with sessions() as session:
        user = await session.run_sync(account_rows.by_username, username)
        known = user is not None and user.active
        hashed = user.password_hash if user is not None and known else _DUMMY_HASH
    if await _verify(hashed, password) and known:
        async with transaction(sessions) as session:
            rows = await session.run_sync(throttles.lock, keys)
            by_client, by_account = rows[keys[0]], rows[keys[1]]
            by_client.failures = max(by_client.failures - 1, 0)
            if by_client.failures < policy.client_max_failures:
                by_client.blocked_until = None
            by_account.failures, by_account.blocked_until = 0, None
            user = await session.run_sync(account_rows.by_username, username)
            assert user is not None
            return await _issue(session, user, password, policy, now)
    if reservation.account_until is not None:
        raise _locked(reservation.account_until)
    if reservation.client_until is not None:
        raise _throttled(reservation.client_until)
    raise DomainError(ErrorCode.INVALID_CREDENTIALS)


async def _issue(
    session: AsyncSession, user: User, password: str, policy: LoginPolicy, now: datetime
) -> IssuedToken:
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = await hash_password(password)
    token = secrets.token_urlsafe(32)
    expires_at = now + policy.token_ttl
    await session.run_sync(account_rows.drop_expired_tokens, user.id, now)
    await session.run_sync(account_rows.add_token, user.id, _digest(token), expires_at)
    return IssuedToken(token=token, expires_at=expires_at, viewer=await viewer_of(session, user))


async def authenticate(session: AsyncSession, token: str, now: datetime) -> Viewer | None:
    """The caller a bearer token stands for, or None when it is unknown, expired or disabled."""
    return await session.run_sync(_token_holder, token, now)


async def identify(
    sessions: async_sessionmaker[AsyncSession], token: str, now: datetime
) -> Viewer | None:
    """`authenticate` as a short read of its own (`Database.run`), before the request's
    work: the API looks a token up once per request this way (`api.auth`)."""
    return await Database.of(sessions).run(_token_holder, token, now)


def _token_holder(session: Session, token: str, now: datetime) -> Viewer | None:
    found = account_rows.holder_of(session, _digest(token))
    if found is None or _aware(found.expires_at) <= now or not found.active:
        return None
    return Viewer(
        user_id=found.user_id,
        username=found.username,
        role=Role(found.role),
        reviewer_id=found.reviewer_id,
        reviewer_code=found.reviewer_code,
        organization_id=found.organization_id,
        credit_code=found.credit_code,
        must_change_password=found.must_change_password,
    )


async def logout(session: AsyncSession, token: str) -> None:
    await session.run_sync(account_rows.drop_token, _digest(token))


async def change_password(
    session: AsyncSession, viewer: Viewer, current: str, new: str, token: str, now: datetime
) -> None:
    """Own password; every other session of the account is signed out."""
    user = await get_user(session, viewer.username)
    if not await _verify(user.password_hash, current):
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "当前密码不正确")
    if current == new:
        raise DomainError(ErrorCode.INVALID_INPUT, "新密码不能与当前密码相同")
    await _set_password(session, user, new, now)
    await session.run_sync(account_rows.drop_tokens, user.id, keep=_digest(token))


async def reset_password(
    session: AsyncSession, viewer: Viewer, username: str, new: str, now: datetime
) -> None:
    """The office sets a new password and lifts a lockout; the account's tokens end. Not its
    own: that is a password change, which asks for the current one (a stolen token alone
    must not be enough to take the account over)."""
    if username == viewer.username:
        raise DomainError(ErrorCode.FORBIDDEN, "重置本人密码请使用修改密码，并提供当前密码")
    await session.run_sync(throttles.clear, _account_key(username))  # throttle rows lock first
    user = await get_user(session, username)
    await _set_password(session, user, new, now)
    await session.run_sync(account_rows.drop_tokens, user.id)


async def _set_password(session: AsyncSession, user: User, new: str, now: datetime) -> None:
    check_password_strength(new)
    await session.run_sync(account_rows.set_password, user, await hash_password(new), now)


async def set_active(session: AsyncSession, viewer: Viewer, username: str, active: bool) -> User:
    """The office deactivates (停用) or reactivates an account. A deactivated account cannot
    log in and its tokens are dropped at once; the office cannot deactivate itself."""
    user = await get_user(session, username)
    if not active and user.id == viewer.user_id:
        raise DomainError(ErrorCode.INVALID_INPUT, "不能停用本人账户")
    await session.run_sync(account_rows.set_active, user, active)
    if not active:
        await session.run_sync(account_rows.drop_tokens, user.id)
    return user


async def get_user(session: AsyncSession, username: str) -> User:
    user = await session.run_sync(account_rows.by_username, username)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"用户 {username} 不存在")
    return user


@dataclass(frozen=True)
class Account:
    viewer: Viewer
    display_name: str
    active: bool
    locked_until: datetime | None
    email: str | None = None
    digest_enabled: bool = True


async def list_users(session: AsyncSession) -> list[Account]:
    users = await session.run_sync(account_rows.all_users)
    return [await describe(session, u) for u in users]


async def describe(session: AsyncSession, user: User) -> Account:
    throttle = await session.run_sync(throttles.find, _account_key(user.username))
    until = throttle.blocked_until if throttle is not None else None
    locked = _aware(until) if until is not None else None
    return Account(
        viewer=await viewer_of(session, user),
        display_name=user.display_name,
        active=user.active,
        locked_until=locked,
        email=user.email,
        digest_enabled=user.digest_enabled,
    )
