"""The inbox merged per bulletin, as a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.inbox_lines import Notice, merge_notices

T0 = datetime(2030, 3, 5, 3, 0, tzinfo=UTC)


def n(id_, version, kind, hours=0):
    return Notice(id_, version, kind, T0 + timedelta(hours=hours))


@pytest.mark.parametrize(("notices", "expected"), [
    ([], []),
    ([n(1, 10, "published")], [(10, ("published",), (1,))]),
    # the case: one bulletin overdue and new reads as one line, led by "overdue"
    ([n(1, 10, "published"), n(2, 10, "overdue", 1)], [(10, ("overdue", "published"), (1, 2))]),
    ([n(1, 10, "published"), n(2, 10, "due_soon"), n(3, 10, "overdue")],
     [(10, ("overdue", "due_soon", "published"), (1, 2, 3))]),
    # urgent bulletins first, then the newest
    ([n(1, 10, "published", 5), n(2, 11, "overdue", 0), n(3, 12, "published", 9)],
     [(11, ("overdue",), (2,)), (12, ("published",), (3,)), (10, ("published",), (1,))]),
    ([n(1, 10, "due_soon"), n(2, 11, "reminder")],
     [(11, ("reminder",), (2,)), (10, ("due_soon",), (1,))]),
    # a kind added later still gets its line, after the known ones
    ([n(1, 10, "someday"), n(2, 11, "published")],
     [(11, ("published",), (2,)), (10, ("someday",), (1,))]),
])
def test_one_line_per_bulletin(notices, expected):
    lines = merge_notices(notices)
    assert [(line.version_id, line.kinds, line.ids) for line in lines] == expected
    assert all(line.kind == line.kinds[0] for line in lines)


def test_the_line_is_as_new_as_its_newest_notice():
    line, = merge_notices([n(1, 10, "published", 1), n(2, 10, "due_soon", 7)])
    assert line.latest == T0 + timedelta(hours=7)
