"""Simulated agents in an exam window, run as its own process: ``python -m benchmarks.exam_agents``.

Reads a JSON spec on standard input: ``{"host", "port", "slug", "tokens": [...],
"pause": [min_s, max_s], "changes": n, "seed": n}``. Each agent (a thread with its own
keep-alive connection) starts an attempt, answers its items one by one with a pause of a few
seconds before each autosave, changes ``changes`` earlier answers (sending a rising ``seq``,
as the quiz page does), then submits. Every acknowledged save (HTTP 200) is recorded, so the
caller can check that the database kept exactly the last acknowledged answer of every item.

Prints JSON: per request kind the statuses and latency percentiles, the acknowledged saves,
and the submitted attempts.
"""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time

from .load import percentile


class Agent(threading.Thread):
    """One agent's exam: start, autosave every few seconds, submit."""

    def __init__(self, spec: dict, token: str, seed: int, out: dict, lock: threading.Lock):
        super().__init__()
        self.spec, self.token, self.out, self.lock = spec, token, out, lock
        self.rng = random.Random(seed)
        self.connection = http.client.HTTPConnection(spec["host"], spec["port"], timeout=60)

    def call(self, kind: str, method: str, path: str, body: dict | None = None):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        started = time.perf_counter()
        for retry in (True, False):
            try:
                self.connection.request(method, path, body=json.dumps(body or {}),
                                        headers=headers)
                response = self.connection.getresponse()
                status, data = response.status, response.read()
                break
            except (OSError, http.client.HTTPException) as error:
                # The server closed the idle keep-alive connection as we reused it: retry
                # once on a new one, as browsers do (every call here is idempotent).
                self.connection.close()
                status, data = f"error {type(error).__name__}", b"{}"
                if retry:
                    with self.lock:
                        self.out["retries"] += 1
        with self.lock:
            entry = self.out["calls"].setdefault(kind, {"statuses": {}, "ms": []})
            entry["statuses"][str(status)] = entry["statuses"].get(str(status), 0) + 1
            entry["ms"].append(1000 * (time.perf_counter() - started))
        return status, json.loads(data or b"{}")

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, self.spec["pause"][1]))  # agents trickle in
        status, attempt = self.call("start", "POST", "/api/v1/me/attempts",
                                    {"bulletin": self.spec["slug"]})
        if status != 201:
            return
        items = attempt["items"]
        plan = [(item, self.rng.choice(item["options"])["id"]) for item in items]
        plan += [(item, self.rng.choice(item["options"])["id"])
                 for item in self.rng.sample(items, min(self.spec["changes"], len(items)))]
        for seq, (item, option) in enumerate(plan, start=1):
            time.sleep(self.rng.uniform(*self.spec["pause"]))
            path = f"/api/v1/me/attempts/{attempt['id']}/answers/{item['id']}"
            status, _ = self.call("autosave", "PUT", path, {"option": option, "seq": seq})
            if status == 200:
                with self.lock:
                    self.out["acknowledged"][f"{attempt['id']}/{item['id']}"] = option
        status, _ = self.call("submit", "POST", f"/api/v1/me/attempts/{attempt['id']}/submit")
        if status == 200:
            with self.lock:
                self.out["submitted"].append(attempt["id"])
        self.connection.close()


def main() -> int:
    """Run every agent; print the JSON summary."""
    spec = json.loads(sys.stdin.read())
    out, lock = {"calls": {}, "acknowledged": {}, "submitted": [], "retries": 0}, threading.Lock()
    agents = [Agent(spec, token, spec.get("seed", 1) * 100_000 + n, out, lock)
              for n, token in enumerate(spec["tokens"])]
    started = time.perf_counter()
    for agent in agents:
        agent.start()
    for agent in agents:
        agent.join()
    for entry in out["calls"].values():
        ms = entry.pop("ms")
        entry.update(count=len(ms), p50_ms=round(percentile(ms, 0.5), 2),
                     p99_ms=round(percentile(ms, 0.99), 2), max_ms=round(max(ms), 2))
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
