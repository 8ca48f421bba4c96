"""Run a command against a throwaway PostgreSQL database.

``python -m tests.support.postgres -- CMD...``: uses ``QAWARD_TEST_PG_ADMIN_URL`` when set;
otherwise starts the machine's cluster (``pg_ctlcluster 15 main start``) if nothing answers
on 127.0.0.1:5432, makes sure a password role exists (TCP logins need scram), creates a fresh
database, runs CMD with ``QAWARD_TEST_DATABASE_URL`` pointing at it, and drops it afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid

ROLE = "qaward_test"
PASSWORD = "qaward_test_pw"
HOST, PORT = "127.0.0.1", 5432


def _answers() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=1):
            return True
    except OSError:
        return False


def _psql(sql: str) -> None:
    subprocess.run(
        ["su", "postgres", "-c", f'psql -v ON_ERROR_STOP=1 -q -c "{sql}"'],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _ensure_server() -> None:
    if _answers():
        return
    subprocess.run(["pg_ctlcluster", "15", "main", "start"], check=True)
    for _ in range(60):
        if _answers():
            return
        time.sleep(0.5)
    raise SystemExit("PostgreSQL 未能启动 / PostgreSQL did not start on 127.0.0.1:5432")


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        raise SystemExit("usage: python -m tests.support.postgres -- CMD...")
    _ensure_server()
    _psql(
        f"DO \\$\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
        f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{PASSWORD}'; END IF; END\\$\\$;"
    )
    name = f"qaward_test_{uuid.uuid4().hex[:10]}"
    _psql(f"CREATE DATABASE {name} OWNER {ROLE}")
    env = dict(os.environ)
    env["QAWARD_TEST_DATABASE_URL"] = f"postgresql+asyncpg://{ROLE}:{PASSWORD}@{HOST}:{PORT}/{name}"
    print(f"== PostgreSQL run on database {name} ==", file=sys.stderr, flush=True)
    try:
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
