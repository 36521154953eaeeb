"""An adapter's small state file: the last outbox seq it applied and the changes to retry.

JSON, replaced atomically (written beside, then renamed), so a crash leaves the old or the
new state, never half of one::

    {"last_seq": 42, "pending": [{"action": "add", "queue": "wifi",
     "interface": "PJSIP/A1"}], "updated_at": "2010-09-01T00:00:00+00:00"}
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.domain.routing import ADD, REMOVE, Change


@dataclass
class AdapterState:
    """Where the adapter is in the outbox, and what failed and waits for the next pass."""

    last_seq: int | None = None  # None: never reconciled, so no position yet
    pending: list[Change] = field(default_factory=list)


def load_state(path: Path) -> AdapterState:
    """The state in ``path``; an empty state when the file does not exist yet."""
    if not path.exists():
        return AdapterState()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        last_seq = raw["last_seq"]
        if last_seq is not None and (not isinstance(last_seq, int) or last_seq < 0):
            raise ValueError(f"last_seq must be a whole number >= 0, got {last_seq!r}")
        pending = [_change(entry) for entry in raw.get("pending", [])]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"state file {path} is not readable: {error}") from None
    return AdapterState(last_seq, pending)


def _change(entry: dict) -> Change:
    change = Change(entry["action"], str(entry["queue"]), str(entry["interface"]))
    if change.action not in (ADD, REMOVE):
        raise ValueError(f"pending action must be add or remove, got {change.action!r}")
    return change


def save_state(path: Path, state: AdapterState) -> None:
    """Write ``state`` to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"last_seq": state.last_seq, "pending": [asdict(c) for c in state.pending],
                "updated_at": datetime.now(UTC).isoformat(timespec="seconds")}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
