"""What a notice's e-mail carries attached (issue #15 item 2).

One function, `attachments_for`, is the only place the delivery asks for attachments: the
mail builder (`activities.mailer.build_message`) attaches whatever it returns, in order. A
notice that carries a document (the feedback report, issue #15 items 5–6) names it by
`notices.document_id`; the document was archived in the notice's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.models import Notice
from db.repositories import documents


@dataclass(frozen=True)
class Attachment:
    filename: str
    """As the recipient sees it, e.g. ``资料评审反馈报告.pdf`` (encoded per RFC 2231)."""
    media_type: str
    """``application/pdf``, ``application/vnd.openxmlformats-officedocument…``."""
    content: bytes


def attachments_for(session: Session, notice: Notice) -> list[Attachment]:
    """The document `notice` carries, if any, as the archive holds it."""
    if notice.document_id is None:
        return []
    document = documents.by_id(session, notice.document_id, with_content=True)
    if document is None:
        return []
    return [Attachment(document.filename, document.media_type, document.content)]
