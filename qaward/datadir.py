"""The embedded stack's data folder (``QAWARD_DATA_DIR``): what lives there, and its lock.

``qaward up`` holds an exclusive ``flock`` on ``qaward.lock`` for as long as it runs. The
kernel drops the lock when the process ends, however it ends (even ``kill -9``), so a
stale lock file never blocks anything: ``qaward restore`` and a second ``qaward up`` test
the lock, not the file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

from qaward.preflight import ConfigError
from qaward.settings import Settings

SERVICE_DB = "qaward.sqlite3"
TEMPORAL_DB = "temporal.sqlite3"
LOCK_FILE = "qaward.lock"
NOT_DATA = frozenset({LOCK_FILE, "temporal.log"})
"""Files in the folder that are not state: neither backed up nor restored."""
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def service_db_path(settings: Settings) -> Path:
    """The service's SQLite file, which the embedded layout keeps in the data folder."""
    url = make_url(settings.effective_database_url)
    folder = settings.data_dir.resolve()
    if url.get_backend_name() != "sqlite" or not url.database:
        raise ConfigError(
            "qaward backup/restore 只用于内嵌环境（SQLite 与 Temporal 开发服务器）；"
            "PostgreSQL 与 Temporal 集群请按 README“可靠性”一节用 pg_dump/pg_restore",
            "qaward backup/restore are for the embedded stack (SQLite and the Temporal dev "
            "server); for PostgreSQL and a Temporal cluster use pg_dump/pg_restore (README, "
            "Reliability)",
        )
    path = Path(url.database).resolve()
    if path.parent != folder:
        raise ConfigError(
            f"数据库文件 {path} 不在数据目录 {folder} 中（QAWARD_DATABASE_URL），"
            "无法作为一个整体备份",
            f"the database file {path} is outside the data folder {folder} "
            "(QAWARD_DATABASE_URL); back up the embedded layout only",
        )
    return path


def is_sqlite_side_file(name: str) -> bool:
    return any(name.endswith(f".sqlite3{suffix}") for suffix in SQLITE_SIDE_FILES)


@contextlib.contextmanager
def stack_lock(data_dir: Path) -> Iterator[None]:
    """Hold the folder's lock; refuse with one line when another stack holds it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"数据目录 {data_dir} 正被另一个运行中的 qaward up 使用（QAWARD_DATA_DIR）",
                f"the data folder {data_dir} is in use by a running qaward up (QAWARD_DATA_DIR)",
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def in_use(data_dir: Path) -> bool:
    """Whether a running ``qaward up`` holds the folder's lock."""
    if not (data_dir / LOCK_FILE).exists():
        return False
    try:
        with stack_lock(data_dir):
            return False
    except ConfigError:
        return True
