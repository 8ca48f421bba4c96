"""What the cycle and honor workflows share: business clock, named timers, activity calls.

A workflow keeps its deadlines as named instants in its state (`timers`); the main loop
sleeps until the earliest one or until a handler wakes it, then fires what is due, in
order. The state survives continue-as-new, and so do the timers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError, FailureError

from domain.dates import business_now
from domain.errors import DomainError

T = TypeVar("T")

ACTIVITY_TIMEOUT = timedelta(seconds=60)
ACTIVITY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=6,
    non_retryable_error_types=["DomainError", "ValidationError"],
)


OWN_HISTORY_LIMITS = "own-history-limits"
"""`workflow.patched` id: a cycle continues as new by its own limits (`history_too_long`),
not at the server's suggestion."""


ATTENTION_ON_FAILURE = "attention-on-local-activity-failure"
"""`workflow.patched` id: a local activity that failed for good raises the office's
attention. The SDK raises its failure as the activity's own error (an `ApplicationError`,
not an `ActivityError` around it, as for a remote activity), which `call` did not catch:
the failure escaped, a command failed without its write, or the writing task ended."""


CONTINUING_AS_NEW = "continuing_as_new"
"""An update's refusal while the run hands over to its next one: not a rule, a moment. The
service sends the command again (`services.awards`); the new run takes it."""


def continuing() -> ApplicationError:
    return ApplicationError(
        "本届评审流程正在续接，请稍后重试", type=CONTINUING_AS_NEW, non_retryable=True
    )


def refuse(error: DomainError) -> ApplicationError:
    """A domain refusal as Temporal sees it: `type` is the error code (DESIGN §4)."""
    return ApplicationError(error.message, error.rule, type=error.code.value, non_retryable=True)


def check_or_refuse(check: Callable[[], object]) -> None:
    """Run a transition's check; its refusal as Temporal sees it."""
    try:
        check()
    except DomainError as err:
        raise refuse(err) from None


class TimedWorkflow:
    """Business clock, timers and resilient activity calls for a workflow class."""

    _offset: timedelta
    _timers: dict[str, datetime]
    _wake: bool
    _busy: int
    _attention: str | None
    _resume: bool
    _history_limit: int
    _own_limits: bool
    _history_base: int
    _bytes_limit: int

    def _setup_clock(self, offset_seconds: float, history_limit: int) -> None:
        self._offset = timedelta(seconds=offset_seconds)
        self._history_limit = history_limit
        self._own_limits = False
        self._history_base = 0
        self._bytes_limit = 0
        self._wake = False
        self._busy = 0
        self._attention = None
        self._resume = False

    def now(self) -> datetime:
        """Business now (Asia/Shanghai), to the second."""
        return self._precise_now().replace(microsecond=0)

    def _precise_now(self) -> datetime:
        """Business now to the millisecond: what timers are measured against."""
        return business_now(workflow.now(), self._offset)

    def next_due(self) -> datetime | None:
        return min(self._timers.values()) if self._timers else None

    def wake(self) -> None:
        self._wake = True

    def use_own_history_limits(self, bytes_limit: int) -> None:
        """From now on, continue as new past the event limit or `bytes_limit` bytes more
        than the history holds now, and no longer at the server's suggestion (a cycle, at
        the start of its run, once it has read its applications back).

        The server suggests it at 4,096 events or 4 MB by default: a cycle run of 5,000
        applications starts with those read back (about 4 MB), so it would be told to hand
        over at once, again and again; and each hand-over reads every application back."""
        self._own_limits = True
        self._history_base = workflow.info().get_current_history_size()
        self._bytes_limit = bytes_limit

    def history_too_long(self) -> bool:
        """Time to continue as new: past our event limit; and past our byte limit, or when
        the server suggests it (see `use_own_history_limits`)."""
        info = workflow.info()
        if info.get_current_history_length() > self._history_limit:
            return True
        if self._own_limits:
            return info.get_current_history_size() - self._history_base > self._bytes_limit
        return info.is_continue_as_new_suggested()

    async def sleep_until_due_or_woken(self) -> None:
        due = self.next_due()
        condition: Callable[[], bool] = lambda: self._wake or self.history_too_long()  # noqa: E731
        if due is None:
            await workflow.wait_condition(condition)
        else:
            # From the precise instant, not `now()` (whole seconds): a timer then fires at
            # its due instant instead of up to a second late, and the workflows' timers due
            # at one instant (honors awarded together) fire together.
            delay = (due - self._precise_now()).total_seconds()
            if delay > 0:
                try:
                    await workflow.wait_condition(condition, timeout=delay)
                except TimeoutError:
                    pass
        self._wake = False

    def pop_due(self) -> list[str]:
        """Names of the timers due now, earliest first, removed from the pending set.

        Against the same precise instant as the wait: a timer that has fired is due, even
        one whose instant is not a whole second (no second wait within the second)."""
        now = self._precise_now()
        due = sorted((at, name) for name, at in self._timers.items() if at <= now)
        for _, name in due:
            del self._timers[name]
        return [name for _, name in due]

    async def call(self, fn: Callable[..., Awaitable[T]], arg: Any) -> T:
        """Run an activity; when it keeps failing, raise the office's attention and wait.

        The failure is recorded (visible in queries and the projection) and the workflow
        waits for the `resume` update instead of failing or silently stalling.
        """
        self._busy += 1
        try:
            while True:
                try:
                    return await workflow.execute_local_activity_method(
                        fn,
                        arg,
                        start_to_close_timeout=ACTIVITY_TIMEOUT,
                        retry_policy=ACTIVITY_RETRY,
                    )
                except FailureError as err:
                    remote = isinstance(err, ActivityError)
                    if isinstance(err, CancelledError) or not (
                        remote or workflow.patched(ATTENTION_ON_FAILURE)
                    ):
                        raise
                    cause = str(err.cause) if remote and err.cause is not None else str(err)
                    self._attention = f"后台任务 {workflow.info().workflow_id} 失败：{cause}"
                    workflow.logger.error("activity failed, waiting for resume: %s", cause)
                    self._busy -= 1
                    await workflow.wait_condition(lambda: self._resume)
                    self._busy += 1
                    self._resume = False
                    self._attention = None
        finally:
            self._busy -= 1
