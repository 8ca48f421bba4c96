"""The daily digest (每日摘要, issue #15 item 3): one e-mail a day per user who has open
to-do items or unread notices, unless they turned it off.

Its to-do items are the user's to-do list (`services.todo`), computed once per digest run
for every user (`todo.gather_in`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from db.models import Notice, User
from db.repositories import accounts as account_rows
from services import todo
from services.accounts import Role, Viewer
from services.listings import visible_notices
from services.todo_model import Facts

SHOWN = 20
"""At most this many notices are listed one by one; the rest are counted."""


def pending_tasks(session: Session, user: User, facts: Facts, day: date) -> list[str]:
    """The user's open to-do items on `day` (`services.todo`, as their home page lists
    them), one line each: what, for whom, by when."""
    reviewer_code, credit_code = account_rows.link_codes(
        session, user.reviewer_id, user.organization_id
    )
    viewer = Viewer(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        reviewer_id=user.reviewer_id,
        reviewer_code=reviewer_code,
        organization_id=user.organization_id,
        credit_code=credit_code,
    )
    lines = []
    for task in todo.tasks(viewer, facts, day):
        due = f"，{_day(task.due)}前" if task.due is not None else ""
        whom = f"（{task.applicant}）" if task.applicant else ""
        lines.append(f"{task.title}{whom}{due}")
    return lines


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
