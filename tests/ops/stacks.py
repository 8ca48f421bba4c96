"""``qaward up`` as a child process of a test, its output in a file (tests/ops).

`LAUNCH` runs the stack with the stand-ins of ``tests/ops/stack_double.py``;
`PRODUCT` runs the real worker and app.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

LAUNCH = (
    "import sys\n"
    "from tests.ops import stack_double\n"
    "sys.modules['worker.registry'] = sys.modules['api.app'] = stack_double\n"
    "from qaward.cli import main\n"
    "sys.exit(main(['up']))\n"
)
PRODUCT = "import sys\nfrom qaward.cli import main\nsys.exit(main(['up']))\n"
STARTED = "服务已启动"


def dev_server_pids(data_dir: Path) -> list[int]:
    """Live (not zombie) processes started with this test's Temporal database file."""
    marker = str(data_dir.resolve() / "temporal.sqlite3").encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            pids.append(int(entry.name))
    return pids


class Stack:
    """One ``qaward up`` child process, its output in a file."""

    def __init__(self, env: dict[str, str], cwd: Path, launch: str = LAUNCH) -> None:
        self.output = cwd / f"stack-{len(list(cwd.glob('stack-*.log')))}.log"
        with self.output.open("wb") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-c", launch],
                env=env,
                cwd=cwd,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    async def started(self, within: float = 90.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while STARTED not in self.text():
            assert self.process.poll() is None, f"qaward up exited early:\n{self.text()}"
            assert loop.time() < deadline, f"qaward up did not start:\n{self.text()}"
            await asyncio.sleep(0.2)

    async def stop(self, signum: int, within: float = 30.0) -> int:
        self.process.send_signal(signum)
        return await asyncio.to_thread(self.process.wait, within)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
