"""The daily digest (每日摘要, issue #15 item 3): one e-mail a day per user who has open
to-do items or unread notices, unless they turned it off.

`pending_tasks` is the hook for the to-do list (`services/todo.py`, being built
alongside); until it is wired it returns nothing and the digest lists unread notices.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from db.models import Notice, User
from services.accounts import Role
from services.listings import visible_notices

SHOWN = 20
"""At most this many notices are listed one by one; the rest are counted."""


def pending_tasks(session: Session, user: User) -> list[str]:
    """The user's open to-do items, one line each (wire to `services.todo` when it lands)."""
    del session, user
    return []


def unread_notices(session: Session, user: User, until: datetime) -> list[Notice]:
    """What `GET /notices` shows the user, published after they last marked it read and
    up to `until`, oldest first."""
    found = visible_notices(session, Role(user.role), user.organization_id, user.reviewer_id)
    since = user.notices_read_at
    return sorted(
        (n for n in found if n.published_at <= until and (since is None or n.published_at > since)),
        key=lambda n: (n.published_at, n.id),
    )


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def compose(user: User, day: date, tasks: list[str], notices: list[Notice]) -> tuple[str, str]:
    """Subject and body of one user's digest for `day`, in Chinese."""
    subject = (
        f"庆元县人民政府质量奖每日摘要（{_day(day)}）：待办{len(tasks)}项，未读通知{len(notices)}条"
    )
    lines = [f"{user.display_name or user.username}，您好：", ""]
    lines.append(f"截至{_day(day)}，您在庆元县人民政府质量奖评审管理服务中有：")
    if tasks:
        lines += ["", f"待办事项（{len(tasks)}项）："]
        lines += [f"{n}. {task}" for n, task in enumerate(tasks, 1)]
    if notices:
        lines += ["", f"未读通知（{len(notices)}条）："]
        lines += [
            f"{n}. [{_day(notice.on)}] {notice.title}"
            for n, notice in enumerate(notices[:SHOWN], 1)
        ]
        if len(notices) > SHOWN:
            lines.append(f"……另有{len(notices) - SHOWN}条，请登录系统查看。")
    lines += [
        "",
        "请登录系统处理。阅读后可将通知标为已读（POST /notices/read）；"
        "不需要每日摘要的，可在个人设置中关闭（PUT /auth/me/settings）。",
    ]
    return subject, "\n".join(lines)
