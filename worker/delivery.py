"""What the worker needs to deliver notices (issue #15): the relay, the delivery
workflow's id, the digest hour; and starting that workflow when the worker starts."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.client import Client

from activities.delivery import DeliveryWaker
from activities.mailer import MailConfig
from qaward.settings import Settings

WORKFLOW_ID = "notice-delivery"


@dataclass(frozen=True)
class DeliveryConfig:
    mail: MailConfig
    workflow_id: str = WORKFLOW_ID
    digest_hour: int | None = 8
    task_queue: str | None = None
    """The delivery workflow's own task queue; None: the worker's (the usual setup). Its
    own queue lets dedicated workers send mail apart from those running the cycles."""

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig | None:
        """None without a relay (QAWARD_SMTP_HOST empty): no delivery workflow runs."""
        mail = MailConfig.from_settings(settings)
        if mail is None:
            return None
        return cls(mail=mail, digest_hour=settings.digest_hour)

    def waker(self, client: Client) -> DeliveryWaker:
        return DeliveryWaker(client, self.workflow_id, self.digest_hour, self.task_queue)


async def start_delivery(client: Client, config: DeliveryConfig | None, task_queue: str) -> None:
    """Start (or wake) the delivery workflow: it sends what was left while no worker ran."""
    if config is not None:
        await config.waker(client).wake(task_queue)
