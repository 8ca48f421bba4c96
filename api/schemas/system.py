"""Notices, the audit trail and the health check."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from api.schemas.base import Instant, Response


class NoticeOut(Response):
    kind: str = Field(description="通告类型")
    audience: str = Field(
        description="通告对象：public 社会公众、office 县评审办、applicant 申报组织、"
        "reviewer 评审员、committee 县评委会、government 县政府、objector 异议人"
    )
    on: date = Field(description="通告日期")
    cycle_year: int | None = Field(description="所属评审年度")
    title: str = Field(description="标题")
    body: str = Field(description="正文")
    published_at: Instant = Field(description="发布时间")


class AuditEntryOut(Response):
    id: int = Field(description="记录序号")
    at: Instant = Field(description="时间")
    actor: str | None = Field(description="操作人（用户名）")
    role: str | None = Field(description="操作人角色")
    client: str | None = Field(description="客户端地址")
    method: str = Field(description="HTTP方法")
    path: str = Field(description="请求路径")
    action: str = Field(description="操作（接口摘要）")
    status: int = Field(description="HTTP状态码")
    code: str | None = Field(description="错误代码（成功时为空）")
    prev_hash: str = Field(description="上一条记录的HMAC")
    hash: str = Field(description="本条记录的HMAC（HMAC-SHA-256，审计密钥）")


class CheckpointOut(Response):
    head_id: int = Field(description="检查点记录的最后一条审计记录编号")
    at: Instant = Field(description="检查点时间")


class SignedCheckpointOut(CheckpointOut):
    head_mac: str = Field(description="该条记录的HMAC")
    signature: str = Field(description="检查点签名（HMAC-SHA-256，审计密钥）")


class VerificationOut(Response):
    intact: bool = Field(description="审计链是否完整（含检查点之前无删除）")
    entries: int = Field(description="校验通过的记录数")
    first_broken_id: int | None = Field(description="第一条断链或缺失记录的编号")
    keyed: bool = Field(description="审计链是否以密钥（HMAC）校验")
    checkpoint: CheckpointOut | None = Field(description="最近一次有效的签名检查点")
    truncated: bool = Field(description="是否发现检查点之前的记录被删除（截断）")
    statement: str = Field(description="校验结论：证明了什么，不能证明什么")


class HealthOut(Response):
    database: Literal["ok", "error"] = Field(description="数据库状态")
    temporal: Literal["ok", "error"] = Field(description="流程引擎状态")


class LiveOut(Response):
    status: Literal["ok"] = Field(description="进程在运行并能应答")


class ReadyOut(HealthOut):
    worker: Literal["ok", "error"] = Field(
        description="是否有 worker 在两分钟内轮询过任务队列（describe_task_queue）"
    )
    pollers: int = Field(description="近期轮询任务队列的 worker 数")
    delivery: Literal["ok", "error"] = Field(description="待投递消息是否在上限之内")
    delivery_backlog: int | None = Field(description="待投递消息数（尚无投递功能时为空）")
