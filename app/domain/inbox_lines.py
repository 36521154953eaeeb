"""The agent's inbox as one line per bulletin: a bulletin that is new, due soon and overdue
reads as one line with its most urgent news, not as three ("Overdue" + "New bulletin").

Kinds are ordered by urgency; a kind this module does not know (a later addition) still gets
its line, after the known ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

URGENCY = ("overdue", "reminder", "due_soon", "published")


@dataclass(frozen=True)
class Notice:
    """One stored notice: its id, the bulletin version it is about, its kind, when made."""

    id: int
    version_id: int
    kind: str
    created_at: datetime


@dataclass(frozen=True)
class InboxLine:
    """The notices on one bulletin version, shown as one line."""

    version_id: int
    kinds: tuple[str, ...]  # most urgent first
    ids: tuple[int, ...]
    latest: datetime

    @property
    def kind(self) -> str:
        """The news the line leads with."""
        return self.kinds[0]


def _rank(kind: str) -> int:
    return URGENCY.index(kind) if kind in URGENCY else len(URGENCY)


def merge_notices(notices: Iterable[Notice]) -> list[InboxLine]:
    """One line per version: most urgent lines first, then the newest."""
    by_version: dict[int, list[Notice]] = {}
    for notice in notices:
        by_version.setdefault(notice.version_id, []).append(notice)
    lines = []
    for version_id, group in by_version.items():
        kinds = sorted({n.kind for n in group}, key=lambda k: (_rank(k), k))
        lines.append(InboxLine(version_id, tuple(kinds), tuple(sorted(n.id for n in group)),
                               max(n.created_at for n in group)))
    return sorted(lines, key=lambda line: (_rank(line.kind), -line.latest.timestamp(),
                                           line.version_id))
