"""``qaward backup`` / ``qaward restore`` on a data folder at rest, through the CLI: what is
copied, where a replaced folder goes, and the refusals (each one line, nothing changed)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.ops.stacks import run_qaward


@pytest.fixture
def data(ops_env: dict[str, str], tmp_path: Path) -> Path:
    """A migrated service database, a Temporal state file, a material and a log."""
    migrated = run_qaward(ops_env, tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    folder = Path(ops_env["QAWARD_DATA_DIR"])
    with sqlite3.connect(folder / "temporal.sqlite3") as temporal:
        temporal.execute("CREATE TABLE executions (id TEXT)")
        temporal.execute("INSERT INTO executions VALUES ('cycle-2030')")
    (folder / "materials" / "ab").mkdir(parents=True)
    (folder / "materials" / "ab" / "abcd.pdf").write_bytes(b"%PDF-1.4 material")
    (folder / "temporal.log").write_text("not state\n")
    return folder


def _tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'"))


def test_a_restore_replaces_the_folder_and_keeps_the_old_one_aside(
    ops_env: dict[str, str], tmp_path: Path, data: Path
) -> None:
    backup = tmp_path / "backup"
    assert run_qaward(ops_env, tmp_path, "backup", str(backup)).returncode == 0
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {
        "temporal.sqlite3",
        "qaward.sqlite3",
        "materials/ab/abcd.pdf",
    }
    (data / "materials" / "ab" / "abcd.pdf").write_bytes(b"changed after the backup")

    restored = run_qaward(ops_env, tmp_path, "restore", str(backup))

    assert restored.returncode == 0, restored.stderr
    assert (data / "materials" / "ab" / "abcd.pdf").read_bytes() == b"%PDF-1.4 material"
    assert _tables(data / "temporal.sqlite3") == ["executions"]
    assert "alembic_version" in _tables(data / "qaward.sqlite3")
    [aside] = tmp_path.glob("data.before-restore-*")
    assert (aside / "materials" / "ab" / "abcd.pdf").read_bytes() == b"changed after the backup"


@pytest.mark.parametrize(
    ("target", "message"),
    [("nonempty", "不是空目录"), ("data/inside", "不能在数据目录")],
)
def test_a_backup_refuses_a_used_or_inner_folder(
    ops_env: dict[str, str], tmp_path: Path, data: Path, target: str, message: str
) -> None:
    (tmp_path / "nonempty").mkdir()
    (tmp_path / "nonempty" / "x").write_text("x")

    refused = run_qaward(ops_env, tmp_path, "backup", str(tmp_path / target))

    assert refused.returncode == 2
    assert message in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_postgresql_is_backed_up_with_its_own_tools(
    ops_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**ops_env, "QAWARD_DATABASE_URL": "postgresql+asyncpg://u:p@127.0.0.1:1/x"}

    refused = run_qaward(env, tmp_path, "backup", str(tmp_path / "backup"))

    assert refused.returncode == 2
    assert "pg_dump" in refused.stderr
    assert not (tmp_path / "backup").exists()


def test_a_restore_refuses_a_folder_that_is_not_a_backup_or_has_extra_files(
    ops_env: dict[str, str], tmp_path: Path, data: Path
) -> None:
    backup = tmp_path / "backup"
    assert run_qaward(ops_env, tmp_path, "backup", str(backup)).returncode == 0
    (backup / "planted.sqlite3").write_bytes(b"x")
    (tmp_path / "empty").mkdir()

    planted = run_qaward(ops_env, tmp_path, "restore", str(backup))
    empty = run_qaward(ops_env, tmp_path, "restore", str(tmp_path / "empty"))

    assert (planted.returncode, empty.returncode) == (2, 2)
    assert "planted.sqlite3" in planted.stderr
    assert "manifest.json" in empty.stderr
    assert list(tmp_path.glob("data.*")) == []  # nothing moved, nothing restored
