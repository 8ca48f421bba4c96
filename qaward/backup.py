"""``qaward backup DIR`` and ``qaward restore DIR``: the embedded stack's data, whole.

A backup is a folder: the Temporal dev server's state, the service's database, every other
file of the data folder (materials, documents, audit checkpoints) and ``manifest.json``,
written last, with each file's SHA-256 and size. It is taken while the stack runs:

- Both databases are copied through SQLite's online backup API in one step each, so each
  copy is a consistent snapshot. The service's database runs in WAL mode, so its writers
  never wait; the dev server's runs with a rollback journal, so its writes wait while the
  copy holds its read lock — a pause of milliseconds per megabyte, which Temporal absorbs
  (its persistence retries).
- Temporal is copied first, then the service's database, then the files. Whatever the
  worker writes in between (a notice, an honor) is in the database copy but not yet
  recorded as done in Temporal's: after a restore the activity runs again, and activities
  are idempotent, so nothing is doubled. The other order could lose such a write.

``qaward restore DIR`` checks every digest first, refuses while a stack uses the data
folder (its lock, `qaward.datadir`) or the stack's ports are taken, builds the restored
folder beside the target, moves an existing folder aside (``…before-restore-<time>``,
never deleted) and puts the restored one in its place. The next ``qaward up`` carries on:
open cycles and honor timers are in the restored Temporal state.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from qaward.datadir import (
    NOT_DATA,
    TEMPORAL_DB,
    in_use,
    is_sqlite_side_file,
    service_db_path,
)
from qaward.logging import configure_logging
from qaward.preflight import ConfigError, check_stack_ports, load_settings
from qaward.settings import Settings

log = structlog.get_logger(__name__)

MANIFEST = "manifest.json"
FORMAT = "qaward-backup/1"
CHUNK = 1024 * 1024


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            sha.update(block)
    return sha.hexdigest()


def _copy_database(source: Path, target: Path) -> None:
    """A consistent snapshot of a live SQLite database, checked before it is trusted."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)  # one step: one read lock, one consistent snapshot
        (verdict,) = writer.execute("PRAGMA quick_check").fetchone()
        writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        writer.close()
        reader.close()
    if verdict != "ok":
        raise ConfigError(
            f"备份的 {source.name} 未通过检查：{verdict}", f"{source.name}: {verdict}"
        )


def _other_files(data_dir: Path, databases: set[Path]) -> list[Path]:
    return sorted(
        path
        for path in data_dir.rglob("*")
        if path.is_file()
        and path.resolve() not in databases
        and path.name not in NOT_DATA
        and not is_sqlite_side_file(path.name)
    )


def backup(settings: Settings, target: Path) -> dict[str, Any]:
    data_dir = settings.data_dir.resolve()
    service_db = service_db_path(settings)
    target = target.resolve()
    if target.exists() and any(target.iterdir()):
        raise ConfigError(
            f"备份目录 {target} 不是空目录", f"the backup folder {target} is not empty"
        )
    if target.is_relative_to(data_dir):
        raise ConfigError(
            f"备份目录 {target} 不能在数据目录 {data_dir} 之内",
            f"the backup folder {target} must be outside the data folder {data_dir}",
        )
    if not service_db.exists():
        raise ConfigError(f"找不到数据库 {service_db}", f"no database at {service_db}")
    target.mkdir(parents=True, exist_ok=True)
    temporal_db = data_dir / TEMPORAL_DB
    copied: list[str] = []
    if temporal_db.exists():  # first: see the module's docstring for the order
        _copy_database(temporal_db, target / TEMPORAL_DB)
        copied.append(TEMPORAL_DB)
    _copy_database(service_db, target / service_db.name)
    copied.append(service_db.name)
    for path in _other_files(data_dir, {temporal_db.resolve(), service_db}):
        relative = path.relative_to(data_dir)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)
        copied.append(relative.as_posix())
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "source": str(data_dir),
        "files": {
            name: {"sha256": _digest(target / name), "bytes": (target / name).stat().st_size}
            for name in copied
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def verify(source: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is present with its digest (and no other)."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
        files: dict[str, dict[str, Any]] = manifest["files"]
        assert manifest["format"] == FORMAT
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        raise ConfigError(
            f"{source} 不是完整的备份（缺少或无法读取 {MANIFEST}）",
            f"{source} is not a complete backup (no readable {MANIFEST})",
        ) from None
    present = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    for name, expected in sorted(files.items()):
        path = source / name
        if name not in present or _digest(path) != expected["sha256"]:
            raise ConfigError(
                f"备份文件 {name} 缺失或与清单中的 SHA-256 不符，拒绝恢复",
                f"backup file {name} is missing or does not match its SHA-256; nothing restored",
            )
    extra = sorted(present - set(files) - {MANIFEST})
    if extra:
        raise ConfigError(
            f"备份中有清单之外的文件 {extra[0]}，拒绝恢复",
            f"the backup holds {extra[0]}, which its manifest does not list; nothing restored",
        )
    return manifest


def restore(settings: Settings, source: Path) -> Path | None:
    """Restore into the data folder; return where the folder it replaced was moved."""
    source = source.resolve()
    manifest = verify(source)
    data_dir = settings.data_dir.resolve()
    service_db = service_db_path(settings)
    if in_use(data_dir):
        raise ConfigError(
            f"数据目录 {data_dir} 正被运行中的 qaward up 使用，请先停止服务再恢复",
            f"a running qaward up uses the data folder {data_dir}; stop it before restoring",
        )
    check_stack_ports(settings)  # a stack on these ports, from whatever folder, must stop first
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    staging = data_dir.with_name(f"{data_dir.name}.restoring-{stamp}")
    staging.mkdir(parents=True)
    for name in manifest["files"]:
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, staging / name)
    backed_up_db = next(n for n in manifest["files"] if n.endswith(".sqlite3") and n != TEMPORAL_DB)
    if backed_up_db != service_db.name:
        (staging / backed_up_db).rename(staging / service_db.name)
    replaced = None
    if data_dir.exists() and any(data_dir.iterdir()):
        replaced = data_dir.with_name(f"{data_dir.name}.before-restore-{stamp}")
        data_dir.rename(replaced)
    elif data_dir.exists():
        data_dir.rmdir()
    staging.rename(data_dir)
    return replaced


def backup_command(target: str) -> int:
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    manifest = backup(settings, Path(target))
    size = sum(f["bytes"] for f in manifest["files"].values())
    log.info(
        "备份完成", folder=str(Path(target).resolve()), files=len(manifest["files"]), bytes=size
    )
    return 0


def restore_command(source: str) -> int:
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    replaced = restore(settings, Path(source))
    log.info(
        "恢复完成，可执行 qaward up 继续运行",
        data_dir=str(settings.data_dir.resolve()),
        replaced=str(replaced) if replaced else None,
    )
    return 0
