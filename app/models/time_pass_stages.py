"""What the time pass computed ahead of a known future instant, waiting to be applied there.

When an agent's next time-driven change (``users.eligibility_check_at``) is near, the worker
evaluates it in advance and keeps the writes it will make here (issue #19, "ahead of
time"); at the instant they are moved into the live tables with a few ``INSERT … SELECT`` /
``UPDATE … FROM`` statements (``app.services.certification.time_pass_ahead``). A stage
holds only while the agent's row still has the instant and the version it was computed
from, and the requirements their fingerprint; ``recompute`` of an agent deletes its stage.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from app.core.extensions import db
from app.models.base import UTCDateTime

staged_agents = Table(
    "staged_agents",
    db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("at", UTCDateTime, nullable=False),
    Column("fingerprint", String(64), nullable=False),  # the requirements' digest
    # what the stage was computed from, besides the requirements: it holds while the
    # agent's row still has these (the document names the agent and their team)
    Column("base_version", Integer, nullable=False),
    Column("external_id", String(128)),
    Column("name", String(200), nullable=False),
    Column("team_id", Integer),
    Column("active", Boolean, nullable=False),
    Column("bump", Boolean, nullable=False),
    Column("next_check_at", UTCDateTime),
    Column("body", Text),
    Column("etag", String(32)),
    Column("batch", Integer),
    # set when the stage's events were written to the feed ahead of the instant, held until
    # its release (``staged_releases``) is released
    Column("release_id", Integer),
    Index("ix_staged_agents_at", "at"),
    Index("ix_staged_agents_release", "release_id"),
    Index("ix_staged_agents_batch", "batch"),
    sqlite_autoincrement=True,  # an id is never reused: rows of a dropped stage name it
)
"""One agent's stage: the instant, what it was computed from (the requirements' digest and
the agent's row), what the row becomes (version bumped or not, next instant) and the served
document (if it changes)."""

staged_states = Table(
    "staged_states",
    db.metadata,
    Column("stage_id", Integer, nullable=False),
    Column("skill_id", Integer, nullable=False),
    Column("op", String(1), nullable=False),  # u: update (or touch), i: insert, d: delete
    Column("cleared", Boolean),
    Column("valid_until", UTCDateTime),
    Column("missing", Text),
    Column("upcoming", Text),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_staged_states_stage", "stage_id"),
    Index("ix_staged_states_at", "at"),
)
"""Each eligibility state row of a staged agent as it will be (JSON lists as stored text)."""

staged_events = Table(
    "staged_events",
    db.metadata,
    Column("stage_id", Integer, nullable=False),
    Column("skill", String(64), nullable=False),
    Column("cleared", Boolean, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("details", Text),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_staged_events_stage", "stage_id"),
    Index("ix_staged_events_at", "at"),
)
"""The change-feed events of a staged agent (their agent version is read at the instant)."""

staged_outbox = Table(
    "staged_outbox",
    db.metadata,
    Column("stage_id", Integer, nullable=False),
    Column("skill", String(64), nullable=False),  # the per-agent path's order
    Column("type", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_staged_outbox_stage", "stage_id"),
    Index("ix_staged_outbox_at", "at"),
)
"""The outbox messages (``certification.expired``) of a staged agent."""

staged_releases = Table(
    "staged_releases",
    db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("token", Integer, nullable=False),  # the publishing batch that made it
    Column("released", Boolean, nullable=False, default=False),
    Column("first_seq", BigInteger().with_variant(Integer, "sqlite")),
    Index("ix_staged_releases_token", "token"),
    sqlite_autoincrement=True,
)
"""The change-feed events of staged agents written to the feed shortly before their instant
(``ONEVOICE_TIME_PASS_PUBLISH_SECONDS``), from ``first_seq`` on. Held (``released`` false),
the feed stops before ``first_seq``; released at the instant by one UPDATE of this row, the
feed shows them; the row is deleted once every stage of it is applied, and the webhook
fan-out (which sends the stored documents) waits for that."""

STAGE_TABLES = (staged_states, staged_events, staged_outbox)
