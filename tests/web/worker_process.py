"""The worker as a real process (``flask --app app worker``) on a test's database, for fault
tests and the push benchmark: started with settings in its environment, stopped politely or
killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def database_url(app) -> str:
    """The URL a separate process uses to reach ``app``'s database."""
    return app.config["SQLALCHEMY_DATABASE_URI"]


class WorkerProcess:
    """``flask --app app worker`` in a subprocess; its output goes to ``log``."""

    def __init__(self, url: str, instance: Path, **settings):
        self.url, self.instance, self.settings = url, Path(instance), settings
        self.log = self.instance / f"worker-{time.monotonic_ns()}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        env = {**os.environ, "DATABASE_URL": self.url, "SECRET_KEY": "test-secret",
               "ONEVOICE_INSTANCE_PATH": str(self.instance),
               "ONEVOICE_PASSWORD_HASH": "fast-for-tests",
               **{name: str(value) for name, value in self.settings.items()}}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=ROOT, env=env,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when a host dies."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_for(check, timeout: float, every: float = 0.1, what: str = "condition"):
    """Poll ``check()`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what} not met within {timeout} s")
