"""Application materials (申报材料): the rows that name the stored files, and the
per-application count and total size that the upload caps check."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Material


def count_and_size(session: Session, application_id: int) -> tuple[int, int]:
    row = session.execute(
        select(func.count(Material.id), func.coalesce(func.sum(Material.size), 0)).where(
            Material.application_id == application_id
        )
    ).one()
    return int(row[0]), int(row[1])


def add(session: Session, material: Material) -> None:
    """A new material, flushed: its id is known on return."""
    session.add(material)
    session.flush()


def of_application(session: Session, application_id: int) -> list[Material]:
    return list(
        session.scalars(
            select(Material).where(Material.application_id == application_id).order_by(Material.id)
        )
    )


def find(session: Session, application_id: int, material_id: int) -> Material | None:
    return session.scalar(
        select(Material).where(
            Material.id == material_id, Material.application_id == application_id
        )
    )
