"""Translate Temporal's answers into the service's domain errors."""

from __future__ import annotations

from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.errors import DomainError, ErrorCode


def from_temporal(err: Exception, closed: ErrorCode = ErrorCode.CYCLE_CLOSED) -> DomainError | None:
    """The domain error a refused update or a missing/closed workflow stands for.

    An update to a workflow that has completed is answered NOT_FOUND ("update … not found"
    or "workflow execution already completed"): that is `closed`, not a missing record.
    A workflow started twice (its id is the record's: an honor registered again) is
    `already_exists`.
    """
    if isinstance(err, WorkflowAlreadyStartedError):
        return DomainError(ErrorCode.ALREADY_EXISTS, "该流程已启动")
    if isinstance(err, WorkflowUpdateFailedError):
        cause = err.cause
        if isinstance(cause, ApplicationError) and cause.type:
            try:
                code = ErrorCode(cause.type)
            except ValueError:
                return DomainError(ErrorCode.ACTIVITY_FAILED, cause.message)
            return DomainError(code, _detail(code, cause.message), _rule(cause))
        return DomainError(ErrorCode.INVALID_INPUT, str(cause))
    if isinstance(err, RPCError):
        if err.status == RPCStatusCode.NOT_FOUND:
            if "workflow" in err.message.lower() and "not found" in err.message.lower():
                if "completed" not in err.message:
                    return DomainError(ErrorCode.NOT_FOUND, "流程不存在")
            return DomainError(closed)
        if err.status == RPCStatusCode.FAILED_PRECONDITION:
            return DomainError(closed)
        if err.status == RPCStatusCode.ALREADY_EXISTS:
            return DomainError(ErrorCode.ALREADY_EXISTS, "该流程已启动")
    return None


def _detail(code: ErrorCode, message: str) -> str | None:
    base = DomainError(code).message
    if message.startswith(base):
        rest = message[len(base) :].lstrip("：: ")
        return rest or None
    return message or None


def _rule(cause: ApplicationError) -> str | None:
    """The rule the workflow cited (`workflows.base.refuse` sends it as the first detail)."""
    details = cause.details
    return details[0] if details and isinstance(details[0], str) and details[0] else None
