"""What every benchmark needs: the machine's description, a gunicorn server on a database,
API tokens, the load generator in its own process, and ratios.

Benchmarks print their numbers and each ratio to the baseline measured in the same run.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    """nproc, memory and CPU model, with the Python and SQLite versions."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return (f"{os.cpu_count()} CPUs ({cpu}), {kib / 1024 / 1024:.1f} GiB RAM, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{platform.system()} {platform.release()}; load average "
            f"{os.getloadavg()[0]:.1f} when measured (other processes share these CPUs)")


def database_url(value: str | None) -> str:
    """A file path becomes a SQLite URL; URLs pass through; default: $DATABASE_URL."""
    value = value or os.environ.get("DATABASE_URL")
    if not value:
        sys.exit("error: give --database (a SQLite file made by "
                 "`flask --app benchmarks.app bench-data`, or a URL)")
    if "://" in value:
        return value
    path = Path(value).resolve()
    if not path.exists():
        sys.exit(f"error: no database file {path}")
    return f"sqlite:///{path}"


def app_for(url: str):
    """The app on ``url`` (for setting up tokens and reading results directly)."""
    os.environ.setdefault("ONEVOICE_INSTANCE_PATH", str(ROOT / "instance"))
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})


def token_for(app, email: str) -> str:
    """A fresh API token acting as ``email``."""
    from app.core.database import unit_of_work
    from app.services.accounts.accounts import create_token

    with app.app_context(), unit_of_work():
        return create_token(email, "benchmark")[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, *, workers: int, app: str = "app:create_app()",
             threads: int | None = None):
    """Serve ``app`` with gunicorn.conf.py on a free port; yields the port.

    ``threads`` None keeps gunicorn.conf.py's default (1 on SQLite, 4 otherwise).
    """
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench",
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
           "GUNICORN_THREADS": str(threads or ""), "GUNICORN_ACCESS_LOG": "",
           "GUNICORN_LOG_LEVEL": "warning"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        _wait_until_up(port, server)
        yield Server(port, server.pid)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the group we started: master, workers
        server.wait(timeout=60)


class Server(int):
    """A running gunicorn: its port (the int value itself) and the CPU its processes used."""

    def __new__(cls, port: int, group: int):
        server = super().__new__(cls, port)
        server.group = group
        return server

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of the master and workers so far (from /proc).

        Unlike latency and throughput, CPU per request hardly changes when other processes
        compete for the CPUs, so it gives each endpoint's cost on a busy machine too.
        """
        ticks, total = os.sysconf("SC_CLK_TCK"), 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[2]) == self.group:  # process group id
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"error: gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("error: gunicorn did not answer /healthz within 60 s")


def load(port: int, paths: list[str], *, headers: dict | None = None, seconds: float = 10,
         connections: int = 16, rate: float | None = None, samples: bool = False) -> dict:
    """Run the load generator (benchmarks/load.py) in its own process; its JSON result,
    with the server's CPU milliseconds per answered request when ``port`` is a Server (and
    every request's path and latency, ``samples``, when asked)."""
    spec = {"host": "127.0.0.1", "port": int(port), "paths": paths, "headers": headers or {},
            "seconds": seconds, "connections": connections, "rate": rate,
            "samples": samples}
    cpu = port.cpu_seconds() if isinstance(port, Server) else None
    done = subprocess.run([sys.executable, "-m", "benchmarks.load", "-"], cwd=ROOT,
                          input=json.dumps(spec), capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    if cpu is not None and result["requests"]:
        result["server_cpu_ms"] = round(
            1000 * (port.cpu_seconds() - cpu) / result["requests"], 2)
    return result


def ratio(value: float, baseline: float) -> str:
    """``value`` as a multiple of ``baseline``."""
    return f"{value / baseline:.2f}x" if baseline else "n/a"


def line(label: str, result: dict) -> str:
    """One measurement as a line of text."""
    return (f"{label:<28} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>6.2f} ms  "
            f"p99 {result['p99_ms']:>7.2f} ms  server CPU {result.get('server_cpu_ms', '-')} "
            f"ms/req  errors {result['errors']}  "
            f"statuses {result['statuses']}  generator CPU {result['generator_cpu_s']} s")
