"""Precomputed aggregates behind the manager reports (readiness board, knowledge gaps).

They are derived data, kept equal to a from-scratch computation by
``app.derived.aggregates`` in the same transaction as every change to the facts they count,
and rebuilt whole by ``flask --app app reports rebuild``. No foreign keys: a deleted source
row must stay visible to the maintenance code, which subtracts what it had counted.

- ``readiness_marks``: one row per assignment of an active agent with a team, with whether a
  certification of its lineage accepts it and until when (NULL = no expiry).
- ``readiness_cells``: per (team, bulletin version): marks counted, and marks certified at
  ``as_of``; ``next_expiry`` is a lower bound of the first certification expiry after
  ``as_of``, so ``certified`` is exact at any instant in [``as_of``, ``next_expiry``).
  For the weekly trend a mark also keeps its assignment's creation and its first pass; when
  its certifications make one unbroken span (one certification, or none expires) it was
  certified exactly from ``certified_since`` to ``certified_until`` (else the trend asks the
  certifications).
- ``gap_firsts``: per (agent, version) the first graded attempt, and the team it is counted
  for (NULL when the agent is inactive or has no team), with its submission time and its
  drawn and correct answers (the weekly share correct).
- ``gap_counts``: per (version, team, item, chosen option, correct) the first-attempt
  answers; option 0 is an item drawn but left blank.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, Table

from app.core.extensions import db
from app.models.base import UTCDateTime

readiness_marks = Table(
    "readiness_marks",
    db.metadata,
    Column("assignment_id", Integer, primary_key=True, autoincrement=False),
    Column("user_id", Integer, nullable=False, index=True),
    Column("team_id", Integer, nullable=False),
    Column("version_id", Integer, nullable=False),
    Column("due_at", UTCDateTime, nullable=False, index=True),
    Column("certified", Boolean, nullable=False),
    Column("certified_until", UTCDateTime),
    Column("created_at", UTCDateTime),  # the assignment's, for the weekly trend
    Column("certified_since", UTCDateTime),  # the earliest pass among its certifications
    Column("one_span", Boolean, nullable=False),  # certified exactly from since to until
    Index("ix_readiness_marks_cell", "team_id", "version_id"),
    # the trend's change since a week's snapshot finds the marks that moved by these
    # (app/queries/trend_snapshots.py; migration 0011s)
    Index("ix_readiness_marks_team_created", "team_id", "created_at"),
    Index("ix_readiness_marks_team_since", "team_id", "certified_since"),
    Index("ix_readiness_marks_team_until", "team_id", "certified_until"),
    Index("ix_readiness_marks_team_span", "team_id", "one_span", "certified"),
)

readiness_cells = Table(
    "readiness_cells",
    db.metadata,
    Column("team_id", Integer, primary_key=True, autoincrement=False),
    Column("version_id", Integer, primary_key=True, autoincrement=False, index=True),
    Column("assigned", Integer, nullable=False),
    Column("certified", Integer, nullable=False),
    Column("as_of", UTCDateTime, nullable=False),
    Column("next_expiry", UTCDateTime),
)

gap_firsts = Table(
    "gap_firsts",
    db.metadata,
    Column("user_id", Integer, primary_key=True, autoincrement=False),
    Column("version_id", Integer, primary_key=True, autoincrement=False),
    Column("attempt_id", Integer, nullable=False),
    Column("team_id", Integer),
    Column("submitted_at", UTCDateTime, index=True),
    Column("answered", Integer, nullable=False),  # items drawn in that attempt
    Column("correct", Integer, nullable=False),  # of which answered correctly
    Index("ix_gap_firsts_team", "team_id", "submitted_at"),
)

gap_counts = Table(
    "gap_counts",
    db.metadata,
    Column("version_id", Integer, primary_key=True, autoincrement=False),
    Column("team_id", Integer, primary_key=True, autoincrement=False),
    Column("item_id", Integer, primary_key=True, autoincrement=False),
    Column("option_id", Integer, primary_key=True, autoincrement=False),
    Column("correct", Boolean, primary_key=True),
    Column("answers", Integer, nullable=False),
)
