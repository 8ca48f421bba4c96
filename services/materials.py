"""Application materials (申报材料, §3(2)2): PDF files stored under their SHA-256 digest.

The content decides, not the name: the file is parsed and must be a plain PDF document
(`services.pdf_check`). Files live in ``<data_dir>/materials/<first two hex
digits>/<digest>.pdf``; the same file uploaded twice is stored once. An application holds
at most `MaterialLimits.count` files of `MaterialLimits.total_bytes` together. Who may
upload or read is the caller's business; the caller (the request) owns the transaction,
and the SQL is in `db.repositories.materials`.

Until the application deadline (24:00 Asia/Shanghai of the cycle's deadline, as extended)
a material may be deleted or replaced; from then on what was submitted is what is
reviewed, and both are refused as `materials_locked` (`locked_from`, `check_unlocked`).
A deleted or replaced file stays on disk: another row may name the same digest, and the
request's transaction may still roll back.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Material
from db.repositories import materials as material_rows
from db.repositories import throttles
from domain.dates import SHANGHAI, end_of_day
from domain.errors import DomainError, ErrorCode
from services.pdf_check import check_pdf

CHUNK = 1024 * 1024
MAX_NAME = 120
_SEPARATORS = re.compile(r"[/\\:*?\"<>|]")


def megabytes(size: int) -> str:
    """A size as a clerk reads it: in MB (1 MB = 1024 × 1024 bytes), e.g. ``20MB``."""
    return f"{round(size / (1024 * 1024), 2):g}MB"


@dataclass(frozen=True)
class MaterialLimits:
    file_bytes: int
    count: int
    total_bytes: int


def material_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / f"{sha256}.pdf"


def clean_filename(name: str | None) -> str:
    """A name safe to show and to send back: the last path part, NFC, no control, format
    (bidi overrides, zero-width) or separator characters, at most `MAX_NAME` characters,
    ending in ``.pdf`` — so ``invoice\u202efdp.exe`` cannot pose as a PDF, or a PDF as
    something else."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = "".join(c for c in base if unicodedata.category(c)[0] not in ("C", "Z") or c == " ")
    base = _SEPARATORS.sub("_", base).strip()
    stem = base[:-4] if base.lower().endswith(".pdf") else base
    stem = stem.strip(" .")[: MAX_NAME - 4] or "material"
    return f"{stem}.pdf"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 one (RFC 6266)."""
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "material.pdf"
    if ascii_name.startswith(".") or not ascii_name.lower().endswith(".pdf"):
        ascii_name = "material.pdf"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def _receive(
    read: Callable[[int], Awaitable[bytes]], root: Path, max_bytes: int
) -> tuple[Path, str, int]:
    """Copy the upload into a temporary file: its path, digest and size."""
    root.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=root, prefix="upload-", suffix=".part")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := await read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise DomainError(ErrorCode.MATERIAL_TOO_LARGE, f"上限为{megabytes(max_bytes)}")
                digest.update(chunk)
                await asyncio.to_thread(out.write, chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), digest.hexdigest(), size


def locked_from(application_deadline: date) -> datetime:
    """The instant materials become immutable: the end of the application deadline (§3(2)2)."""
    return end_of_day(application_deadline)


def check_unlocked(application_deadline: date, now: datetime) -> None:
    until = locked_from(application_deadline)
    if now >= until:
        shown = until.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        raise DomainError(ErrorCode.MATERIALS_LOCKED, f"申报已于{shown}截止")


async def _check_room(
    session: AsyncSession,
    application_id: int,
    size: int,
    limits: MaterialLimits,
    replacing: Material | None = None,
) -> None:
    """Under the application's lock, so that concurrent uploads cannot both squeeze in."""
    await session.run_sync(throttles.lock, [f"materials:{application_id}"])
    count, total = await session.run_sync(material_rows.count_and_size, application_id)
    if replacing is not None:  # the new file takes the old one's place
        count, total = count - 1, total - replacing.size
    if count >= limits.count:
        raise DomainError(ErrorCode.INVALID_MATERIAL, f"每份申报最多{limits.count}个材料文件")
    if total + size > limits.total_bytes:
        raise DomainError(
            ErrorCode.MATERIAL_TOO_LARGE, f"每份申报的材料合计不超过{megabytes(limits.total_bytes)}"
        )


async def store(
    session: AsyncSession,
    *,
    root: Path,
    application_id: int,
    filename: str | None,
    read: Callable[[int], Awaitable[bytes]],
    limits: MaterialLimits,
    uploaded_by: str,
    replacing: Material | None = None,
) -> Material:
    """Check and keep one uploaded file; refused files leave nothing behind. With
    `replacing`, that material (of this application) takes the new file, keeping its id."""
    temp, sha256, size = await _receive(read, root, limits.file_bytes)
    try:
        await asyncio.to_thread(check_pdf, temp)
        await _check_room(session, application_id, size, limits, replacing)
        _keep(temp, root, sha256)
    finally:
        temp.unlink(missing_ok=True)
    if replacing is not None:
        await session.run_sync(
            material_rows.replace_file,
            replacing,
            material_rows.StoredFile(clean_filename(filename), size, sha256, uploaded_by),
        )
        return replacing
    material = Material(
        application_id=application_id,
        filename=clean_filename(filename),
        size=size,
        sha256=sha256,
        uploaded_by=uploaded_by,
    )
    await session.run_sync(material_rows.add, material)
    return material


def _keep(temp: Path, root: Path, sha256: str) -> None:
    target = material_path(root, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, target)


@dataclass(frozen=True)
class PdfUpload:
    """An uploaded PDF outside any application (supervision evidence, winners' follow-up
    reports), kept with the same checks as a material under its digest."""

    root: Path
    read: Callable[[int], Awaitable[bytes]]
    max_bytes: int

    async def keep(self) -> tuple[str, str]:
        """Check and keep the file: its SHA-256 and its path under the materials root."""
        temp, sha256, _ = await _receive(self.read, self.root, self.max_bytes)
        try:
            await asyncio.to_thread(check_pdf, temp)
            _keep(temp, self.root, sha256)
        finally:
            temp.unlink(missing_ok=True)
        return sha256, str(material_path(Path(), sha256))


async def list_for(session: AsyncSession, application_id: int) -> list[Material]:
    return await session.run_sync(material_rows.of_application, application_id)


async def delete(session: AsyncSession, material: Material) -> None:
    await session.run_sync(material_rows.delete, material)


async def get(session: AsyncSession, application_id: int, material_id: int) -> Material:
    material = await session.run_sync(material_rows.find, application_id, material_id)
    if material is None:
        raise DomainError(ErrorCode.NOT_FOUND, "材料不存在")
    return material
