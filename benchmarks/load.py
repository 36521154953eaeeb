"""A small HTTP load generator, run as its own process: ``python -m benchmarks.load SPEC``.

``SPEC`` is JSON (or ``-`` for standard input)::

    {"host": "127.0.0.1", "port": 8000, "paths": ["/api/v1/ping"], "headers": {...},
     "mode": "closed", "connections": 16, "seconds": 10}
    {"mode": "paced", "rate": 200, ...}

``closed``: each connection (a thread with one keep-alive ``http.client`` connection) sends
its next request as soon as the previous answer is read: the most the server can do.
``paced``: requests are due at a fixed rate whatever the server does, and each latency is
counted from when the request was due, not when it was sent, so a stalled server cannot hide
its queue (no coordinated omission). Paths are used in turn.

It prints one JSON object: requests, statuses, errors, requests per second, latency
percentiles in milliseconds, and the CPU seconds the generator itself used (to show it was
not the bottleneck); with ``"samples": true`` in the spec, every request's path and latency
as well (``[[path, ms], ...]``: to split a mixed load by endpoint, or pool several runs).
"""

from __future__ import annotations

import http.client
import itertools
import json
import sys
import threading
import time


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` fall (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Recorder:
    """Latencies and status counts, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.paths: list[str] = []
        self.statuses: dict[str, int] = {}
        self.errors = 0

    def add(self, status: str, seconds: float, path: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.paths.append(path)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def _send(connection: http.client.HTTPConnection, path: str, headers: dict) -> str:
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    return str(response.status)


def _client(spec: dict, recorder: Recorder, next_request, until: float) -> None:
    connection = http.client.HTTPConnection(spec["host"], spec["port"], timeout=30)
    headers = spec.get("headers", {})
    while True:
        job = next_request()
        if job is None or time.perf_counter() >= until:
            break
        path, due = job
        if due is not None:
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        start = due if due is not None else time.perf_counter()
        try:
            status = _send(connection, path, headers)
        except (OSError, http.client.HTTPException):
            connection.close()  # reconnects on the next request
            with recorder.lock:
                recorder.errors += 1
            continue
        recorder.add(status, time.perf_counter() - start, path)
    connection.close()


def run(spec: dict) -> dict:
    """Run one load as ``spec`` says; return the measurements."""
    paths, seconds = spec["paths"], float(spec["seconds"])
    recorder, counter = Recorder(), itertools.count()
    started = time.perf_counter()
    until = started + seconds
    rate = spec.get("rate")

    def next_request():
        n = next(counter)  # itertools.count is atomic under the GIL
        due = started + n / rate if rate else None
        if due is not None and due >= until:
            return None
        return paths[n % len(paths)], due

    threads = [threading.Thread(target=_client, args=(spec, recorder, next_request, until))
               for _ in range(int(spec.get("connections", 8)))]
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ms = [1000 * s for s in recorder.latencies]
    raw = {"samples": [[path, round(v, 3)] for path, v in zip(recorder.paths, ms, strict=True)]
           } if spec.get("samples") else {}
    return raw | {
        "mode": "paced" if rate else "closed", "requests": len(ms),
        "statuses": recorder.statuses, "errors": recorder.errors,
        "seconds": round(elapsed, 2), "rps": round(len(ms) / elapsed, 1),
        "p50_ms": round(percentile(ms, 0.50), 2), "p90_ms": round(percentile(ms, 0.90), 2),
        "p99_ms": round(percentile(ms, 0.99), 2), "max_ms": round(max(ms, default=0), 2),
        "generator_cpu_s": round(time.process_time() - cpu, 2),
    }


def main(argv: list[str]) -> int:
    """Read the spec from the argument (or standard input), print the result as JSON."""
    raw = sys.stdin.read() if not argv or argv[0] == "-" else argv[0]
    print(json.dumps(run(json.loads(raw))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
