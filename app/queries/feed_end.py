"""Where the change feed and the webhook fan-out stop while events wait for their instant.

The time pass writes a known instant's events to the feed shortly before it, held by a
release (``app.models.time_pass_stages.staged_releases``, ``time_pass_ahead.publish``). Until
the release, the feed ends before the first held event; until every stage of the release is
applied (the stored documents the webhooks send are written then), so does the fan-out.
Read the highest committed seq FIRST, then call these: a release written in between lies
above it.
"""

from __future__ import annotations

from sqlalchemy import func, literal, select

from app.core.extensions import db
from app.models.time_pass_stages import staged_releases


def feed_end(marked: int | None) -> int | None:
    """``marked`` (the highest committed event seq) stopped before the first held event."""
    return _before(marked, staged_releases.c.released.is_(False))


def fan_out_end(marked: int | None) -> int | None:
    """``marked`` stopped before the first event of a release not yet applied."""
    return _before(marked, literal(True))


def _before(marked: int | None, condition) -> int | None:
    if marked is None:
        return None
    r = staged_releases
    first = db.session.scalar(select(func.min(r.c.first_seq)).where(condition))
    return marked if first is None else min(marked, first - 1)
