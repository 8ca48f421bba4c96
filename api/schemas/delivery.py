"""Deliveries (投递记录) as the office reads them, and a user's notice settings."""

from __future__ import annotations

from datetime import date

from pydantic import Field, computed_field

from api.schemas.base import Instant, Response
from domain.delivery import STATUS_NAMES, DeliveryStatus


class DeliveryOut(Response):
    id: int = Field(description="投递记录编号")
    kind: str = Field(description="notice 通知 / digest 每日摘要")
    notice_id: int | None = Field(description="通知编号（每日摘要为空）")
    digest_on: date | None = Field(description="摘要日期（仅每日摘要）")
    channel: str = Field(description="渠道：email 电子邮件")
    recipient: str = Field(
        description="收件人：organization:信用代码、reviewer:编号、user:用户名 等"
    )
    address: str | None = Field(description="收件地址（无邮箱时为空）")
    status: DeliveryStatus = Field(
        description="pending 待发送 / sending 发送中 / sent 已发送 / failed 发送失败 / "
        "no_address 无邮箱地址"
    )
    attempts: int = Field(description="已尝试发送次数")
    interrupted: int = Field(
        description="发送中断次数：大于0表示某次发送在记录结果前中断，收件人可能收到重复邮件"
    )
    last_error: str | None = Field(description="最近一次失败的原因")
    message_id: str | None = Field(description="邮件 Message-ID（同一通知同一收件人始终相同）")
    subject: str = Field(description="邮件主题")
    sent_at: Instant | None = Field(description="发送成功时间")

    @computed_field(description="状态中文名称")  # type: ignore[prop-decorator]
    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


class DeliveryList(Response):
    counts: dict[str, int] = Field(description="各状态的投递记录数")
    unrouted: int = Field(description="尚未分发到收件人的通知数（投递流程稍后处理）")
    deliveries: list[DeliveryOut] = Field(description="投递记录（新的在前）")


class SettingsOut(Response):
    username: str = Field(description="用户名")
    email: str | None = Field(description="电子邮箱")
    digest_enabled: bool = Field(description="是否接收每日摘要邮件")
