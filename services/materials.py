"""Application materials (申报材料, §3(2)2): PDF files stored under their SHA-256 digest.

The content decides, not the name: a file must start with the PDF signature ``%PDF-``.
Files live in ``<data_dir>/materials/<first two hex digits>/<digest>.pdf``; the same file
uploaded twice is stored once. Who may upload or read is the caller's business.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Material
from domain.errors import DomainError, ErrorCode

PDF_SIGNATURE = b"%PDF-"
CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def material_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / f"{sha256}.pdf"


def clean_filename(name: str | None) -> str:
    base = _UNSAFE.sub("_", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return (base or "material.pdf")[-255:]


async def _receive(
    read: Callable[[int], Awaitable[bytes]], root: Path, max_bytes: int
) -> tuple[Path, str, int, bytes]:
    """Copy the upload into a temporary file: its path, digest, size and first bytes."""
    root.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=root, prefix="upload-", suffix=".part")
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := await read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise DomainError(ErrorCode.MATERIAL_TOO_LARGE, f"上限为{max_bytes}字节")
                if len(head) < len(PDF_SIGNATURE):
                    head += chunk[: len(PDF_SIGNATURE) - len(head)]
                digest.update(chunk)
                await asyncio.to_thread(out.write, chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), digest.hexdigest(), size, head


async def store(
    session: AsyncSession,
    *,
    root: Path,
    application_id: int,
    filename: str | None,
    read: Callable[[int], Awaitable[bytes]],
    max_bytes: int,
    uploaded_by: str,
) -> Material:
    """Check and keep one uploaded file; refused files leave nothing behind."""
    temp, sha256, size, head = await _receive(read, root, max_bytes)
    try:
        if not head.startswith(PDF_SIGNATURE):
            raise DomainError(ErrorCode.INVALID_MATERIAL, "只接受PDF文件")
        target = material_path(root, sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    material = Material(
        application_id=application_id,
        filename=clean_filename(filename),
        size=size,
        sha256=sha256,
        uploaded_by=uploaded_by,
    )
    session.add(material)
    await session.flush()
    return material


async def list_for(session: AsyncSession, application_id: int) -> list[Material]:
    return list(
        await session.scalars(
            select(Material).where(Material.application_id == application_id).order_by(Material.id)
        )
    )


async def get(session: AsyncSession, application_id: int, material_id: int) -> Material:
    material = await session.scalar(
        select(Material).where(
            Material.id == material_id, Material.application_id == application_id
        )
    )
    if material is None:
        raise DomainError(ErrorCode.NOT_FOUND, "材料不存在")
    return material
