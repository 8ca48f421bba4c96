"""Accounts and tokens."""

from __future__ import annotations

from pydantic import Field

from api.schemas.base import Instant, Request, Response
from services.accounts import Role
from services.schemas import Printable


class LoginRequest(Request):
    username: str = Field(min_length=1, max_length=50, description="用户名")
    password: str = Field(min_length=1, max_length=200, description="密码")


class TokenOut(Response):
    access_token: str = Field(description="访问令牌，放在 Authorization: Bearer 头中")
    token_type: str = Field(default="bearer", description="令牌类型（bearer）")
    expires_at: Instant = Field(description="令牌失效时间")
    username: str = Field(description="用户名")
    role: Role = Field(description="角色")
    must_change_password: bool = Field(
        default=False,
        description="须先修改密码：为真时除修改密码和退出登录外的接口均返回403",
    )


class PasswordChange(Request):
    current_password: str = Field(min_length=1, max_length=200, description="当前密码")
    new_password: str = Field(min_length=8, max_length=200, description="新密码（至少8位）")


class PasswordReset(Request):
    new_password: str = Field(min_length=8, max_length=200, description="新密码（至少8位）")


class UserCreate(Request):
    username: str = Field(
        min_length=2, max_length=50, pattern=r"^[A-Za-z0-9_.\-]+$", description="用户名"
    )
    password: str = Field(min_length=8, max_length=200, description="初始密码（至少8位）")
    role: Role = Field(description="角色")
    display_name: Printable = Field(default="", max_length=100, description="显示名称")
    reviewer_code: Printable | None = Field(default=None, max_length=50, description="评审员编号")
    credit_code: Printable | None = Field(
        default=None, max_length=50, description="申报组织信用代码"
    )


class UserOut(Response):
    username: str = Field(description="用户名")
    display_name: str = Field(description="显示名称")
    role: Role = Field(description="角色")
    reviewer_code: str | None = Field(default=None, description="关联的评审员编号")
    credit_code: str | None = Field(default=None, description="关联的申报组织信用代码")
    active: bool = Field(default=True, description="是否启用（停用的账户不能登录）")
    locked_until: Instant | None = Field(default=None, description="登录锁定至（未锁定时为空）")
    must_change_password: bool = Field(default=False, description="首次登录须修改密码")
    email: str | None = Field(default=None, description="电子邮箱（通知和每日摘要发往此地址）")
    digest_enabled: bool = Field(default=True, description="是否接收每日摘要邮件")
