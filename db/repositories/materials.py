"""Application materials (申报材料): the rows that name the stored files, and the
per-application count and total size that the upload caps check."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import Material


@dataclass(frozen=True)
class StoredFile:
    filename: str
    size: int
    sha256: str
    uploaded_by: str


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


def replace_file(session: Session, material: Material, new: StoredFile) -> None:
    """The row names another file now; its id stays, its upload time is the new one."""
    material.filename, material.size = new.filename, new.size
    material.sha256, material.uploaded_by = new.sha256, new.uploaded_by
    material.created_at = utcnow()
    session.flush()


def delete(session: Session, material: Material) -> None:
    session.delete(material)
    session.flush()
