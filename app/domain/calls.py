"""Answered-call rows from the routing system, checked before anything is written.

Pure functions over plain data: ``validate_rows`` checks raw rows (a JSON array's elements
or a CSV file's records) and returns every problem at once, so a report of calls is
all-or-nothing; ``parse_csv`` reads the CSV export (columns call_id, agent, skill,
answered_at). Agents and call types are looked up by the caller.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.directory import RawRow, RowError, required_text

FIELDS = ("call_id", "agent", "skill", "answered_at")
CALL_ID = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")
# Clocks of routing systems drift: a call up to this far in the future is accepted.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class CallRow:
    """A valid row: one answered call."""

    row: int
    call_id: str
    agent: str  # the agent's external id
    skill: str  # the call type's code
    answered_at: datetime  # aware


def parse_instant(text: str) -> datetime | None:
    """An RFC 3339 date and time with its offset (``Z`` allowed), else None."""
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _row(raw: RawRow, now: datetime) -> tuple[CallRow | None, list[RowError]]:
    errors: list[RowError] = []
    if not hasattr(raw.values, "get"):
        return None, [RowError(raw.row, None, "call_not_object", {"fields": FIELDS})]
    errors += [RowError(raw.row, name, "row_field_unknown", {"field": repr(name),
                                                             "fields": FIELDS})
               for name in raw.values if name not in FIELDS]
    call_id, agent, skill, answered = (required_text(raw.values, name, 128, errors, raw.row)
                                       for name in FIELDS)
    if call_id is not None and not CALL_ID.match(call_id):
        errors.append(RowError(raw.row, "call_id", "call_id_invalid"))
    at = parse_instant(answered) if answered is not None else None
    if answered is not None and at is None:
        errors.append(RowError(raw.row, "answered_at", "answered_at_invalid",
                               {"value": repr(answered)}))
    elif at is not None and at > now + CLOCK_SKEW:
        errors.append(RowError(raw.row, "answered_at", "answered_at_future",
                               {"value": answered}))
    if errors:
        return None, errors
    return CallRow(raw.row, call_id, agent, skill, at), []


def validate_rows(raw_rows: Sequence[RawRow], now: datetime
                  ) -> tuple[list[CallRow], list[RowError]]:
    """The valid rows and every problem; a call id given twice is a problem of the later row."""
    rows, errors, first = [], [], {}
    for raw in raw_rows:
        row, problems = _row(raw, now)
        errors += problems
        if row is None:
            continue
        if row.call_id in first:
            errors.append(RowError(row.row, "call_id", "call_id_repeated",
                                   {"value": repr(row.call_id), "row": first[row.call_id]}))
            continue
        first[row.call_id] = row.row
        rows.append(row)
    return rows, errors


def parse_csv(text: str) -> tuple[list[RawRow], list[RowError]]:
    """A CSV file's records as raw rows, numbered as in the file (the header is row 1)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in next(reader, [])]
    errors = [RowError(1, name, "column_missing", {"column": repr(name)}) for name in FIELDS
              if name not in header]
    errors += [RowError(1, name or None, "column_unknown", {"column": repr(name),
                                                            "fields": FIELDS})
               for name in header if name not in FIELDS]
    if errors:
        return [], errors
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(RowError(number, None, "cells_count",
                                   {"expected": len(header), "found": len(cells)}))
            continue
        rows.append(RawRow(number, dict(zip(header, cells, strict=True))))
    return rows, errors
