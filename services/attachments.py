"""What a notice's e-mail carries attached (issue #15 item 2).

One function, `attachments_for`, is the only place the delivery asks for attachments: the
mail builder (`activities.mailer.build_message`) attaches whatever it returns, in order.
Today no notice has a document, so it returns nothing. When the documents (issue #15
items 5–6) give a notice a nullable `document_id` into their `documents` table, this is
where to read it: load that document's file name, media type and bytes and return them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.models import Notice


@dataclass(frozen=True)
class Attachment:
    filename: str
    """As the recipient sees it, e.g. ``资料评审反馈报告.pdf`` (encoded per RFC 2231)."""
    media_type: str
    """``application/pdf``, ``application/vnd.openxmlformats-officedocument…``."""
    content: bytes


def attachments_for(session: Session, notice: Notice) -> list[Attachment]:
    """The documents attached to `notice`; none until the documents are wired in."""
    del session, notice  # read `notice.document_id` here once the documents exist
    return []
