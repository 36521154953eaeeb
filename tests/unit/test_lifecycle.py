"""Lifecycle of a bulletin version, table-tested on a frozen clock (app/domain/lifecycle.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.lifecycle import (
    STATUSES,
    Lifecycle,
    VersionInfo,
    changes_at,
    in_force_on,
    lifecycles,
    stable_between,
    status_of,
    successors,
)

# Seoul midnight of 1 September 2010 is 15:00 UTC on 31 August.
SEP1 = datetime(2010, 8, 31, 15, tzinfo=UTC)
DAY = timedelta(days=1)


def _v(number=1, *, slug="wifi", status="published", effective=date(2010, 9, 1), gate=SEP1,
       published=SEP1 - 10 * DAY, supersedes=(), skills=("wifi",), title="") -> VersionInfo:
    return VersionInfo(slug=slug, number=number, status=status, effective=effective,
                       gate_at=gate if status != "draft" else None,
                       published_at=published if status != "draft" else None,
                       title=title or f"{slug} v{number}", supersedes=tuple(supersedes),
                       skills=tuple(skills))


V2_OCT = _v(2, effective=date(2010, 10, 1), gate=SEP1 + 30 * DAY, published=SEP1 + 5 * DAY)
V3_NOV = _v(3, effective=date(2010, 11, 1), gate=SEP1 + 61 * DAY, published=SEP1 + 40 * DAY)
NEW_BULLETIN = _v(1, slug="olleh", supersedes=("wifi",), effective=date(2010, 10, 15),
                  gate=SEP1 + 44 * DAY, published=SEP1 + 6 * DAY)
# Published on 20 September with a deadline already past: it takes over when published.
LATE = _v(2, effective=date(2010, 9, 10), gate=SEP1 + 9 * DAY, published=SEP1 + 19 * DAY)


@pytest.mark.parametrize(("version", "newer", "superseding", "now", "today", "expected", "by"), [
    (_v(status="draft"), (), (), SEP1, date(2010, 9, 1), "draft", None),
    (_v(status="retired"), (), (), SEP1, date(2010, 9, 1), "retired", None),
    (_v(), (), (), SEP1 - DAY, date(2010, 8, 31), "scheduled", None),
    (_v(), (), (), SEP1, date(2010, 9, 1), "in_force", None),
    (_v(), (), (), SEP1 + 400 * DAY, date(2011, 10, 5), "in_force", None),
    # A newer version published but not yet gated: the old one stays in force.
    (_v(), (V2_OCT,), (), SEP1 + 10 * DAY, date(2010, 9, 11), "in_force", None),
    (_v(), (V2_OCT,), (), SEP1 + 30 * DAY, date(2010, 10, 1), "replaced", 2),
    # Replaced by the newest version that took over, not the newest published.
    (_v(), (V2_OCT, V3_NOV), (), SEP1 + 45 * DAY, date(2010, 10, 16), "replaced", 2),
    (_v(), (V2_OCT, V3_NOV), (), SEP1 + 61 * DAY, date(2010, 11, 1), "replaced", 3),
    # A newer version whose gate lies before its publication takes over on publication.
    (_v(), (LATE,), (), SEP1 + 12 * DAY, date(2010, 9, 13), "in_force", None),
    (_v(), (LATE,), (), SEP1 + 19 * DAY, date(2010, 9, 20), "replaced", 2),
    # Superseded by another bulletin from its gate.
    (_v(), (), (NEW_BULLETIN,), SEP1 + 43 * DAY, date(2010, 10, 14), "in_force", None),
    (_v(), (), (NEW_BULLETIN,), SEP1 + 44 * DAY, date(2010, 10, 15), "superseded", 1),
    # Both: the one that took over first names the status.
    (_v(), (V2_OCT,), (NEW_BULLETIN,), SEP1 + 50 * DAY, date(2010, 10, 21), "replaced", 2),
    (_v(), (V3_NOV,), (NEW_BULLETIN,), SEP1 + 70 * DAY, date(2010, 11, 10), "superseded", 1),
    # A scheduled version can be replaced before it ever took effect.
    (V2_OCT, (_v(3, effective=date(2010, 9, 25), gate=SEP1 + 20 * DAY,
                 published=SEP1 + 20 * DAY),),
     (), SEP1 + 21 * DAY, date(2010, 9, 22), "replaced", 3),
    # Versions with lower numbers never replace a version.
    (V2_OCT, (_v(1),), (), SEP1 + 31 * DAY, date(2010, 10, 2), "in_force", None),
    # A draft or retired version stays so whatever else happened.
    (_v(status="draft"), (V2_OCT,), (NEW_BULLETIN,), SEP1 + 90 * DAY, date(2010, 11, 30),
     "draft", None),
], ids=["draft", "retired", "scheduled", "in-force-on-its-day", "in-force-long-after",
        "newer-not-yet-gated", "replaced-at-newer-gate", "replaced-by-gated-not-newest",
        "replaced-by-newest", "late-newer-not-yet-published", "late-newer-on-publication",
        "superseder-not-yet-gated", "superseded", "replaced-first", "superseded-first",
        "scheduled-then-replaced", "older-numbers-ignored", "draft-stays-draft"])
def test_status_of(version, newer, superseding, now, today, expected, by):
    life = status_of(version, newer_published=newer, superseded_by=superseding, now=now,
                     today_local=today)
    assert life.status == expected
    assert (life.by.number if life.by else None) == by
    assert life.status in STATUSES
    assert life.live is (expected in ("scheduled", "in_force"))


def test_superseders_are_reported_before_they_take_over():
    life = status_of(_v(), superseded_by=(NEW_BULLETIN,), now=SEP1 + DAY,
                     today_local=date(2010, 9, 2))
    assert life.status == "in_force" and life.superseded_by == (NEW_BULLETIN,)


def test_successors_picks_newer_versions_and_superseding_bulletins():
    known = [_v(1), V2_OCT, NEW_BULLETIN, _v(1, slug="other"),
             _v(4, status="draft"), _v(1, slug="draft-sup", status="draft", supersedes=("wifi",))]
    newer, superseding = successors(_v(1), known)
    assert newer == [V2_OCT] and superseding == [NEW_BULLETIN]


def test_lifecycles_maps_each_version():
    known = [_v(1), V2_OCT]
    lives = lifecycles(known, known, now=SEP1 + 31 * DAY, today_local=date(2010, 10, 2))
    assert {k: v.status for k, v in lives.items()} == {("wifi", 1): "replaced",
                                                        ("wifi", 2): "in_force"}
    assert lives[("wifi", 1)] == Lifecycle("replaced", V2_OCT)


def _end(day: date) -> datetime:
    """The end of a Seoul day, in UTC."""
    return datetime(day.year, day.month, day.day, 15, tzinfo=UTC) - timedelta(microseconds=1)


KNOWN = [_v(1), V2_OCT, NEW_BULLETIN, _v(1, slug="wired", skills=("wired",)),
         _v(1, slug="later", gate=SEP1 + 100 * DAY, published=SEP1 + 90 * DAY,
            effective=date(2010, 12, 9))]


@pytest.mark.parametrize(("skill", "day", "expected"), [
    # Before anything was published: nothing applied.
    ("wifi", date(2010, 8, 1), []),
    # Published, gated on 1 September (Seoul): the day before, not yet.
    ("wifi", date(2010, 8, 31), []),
    ("wifi", date(2010, 9, 1), [("wifi", 1, "in_force")]),
    # v2 published on 6 September, gated 1 October: v1 still the one until then.
    ("wifi", date(2010, 9, 30), [("wifi", 1, "in_force")]),
    ("wifi", date(2010, 10, 1), [("wifi", 2, "in_force")]),
    # The superseding bulletin took over on 15 October (Seoul).
    ("wifi", date(2010, 10, 15), [("olleh", 1, "in_force")]),
    ("wired", date(2010, 10, 15), [("wired", 1, "in_force")]),
    ("billing", date(2010, 10, 15), []),
], ids=["before-publication", "day-before-gate", "gate-day", "newer-published-not-gated",
        "newer-gated", "superseded", "other-skill", "no-bulletin"])
def test_in_force_on(skill, day, expected):
    listed = in_force_on(KNOWN, skill=skill, day=day, end_of_day=_end(day))
    assert [(v.slug, v.number, life.status) for v, life in listed] == expected


def test_in_force_on_ignores_what_was_published_later():
    # On 5 September v2 (published 6 September) did not exist yet, even though its effective
    # date would not matter: v1 is what agents had been told.
    day = date(2010, 9, 5)
    listed = in_force_on(KNOWN, skill="wifi", day=day, end_of_day=_end(day))
    assert [(v.slug, v.number) for v, _ in listed] == [("wifi", 1)]
    # A version published on the 20th with a gate on the 10th: on the 15th the old one applied.
    known = [_v(1), LATE]
    on_15 = in_force_on(known, skill="wifi", day=date(2010, 9, 15),
                        end_of_day=_end(date(2010, 9, 15)))
    on_20 = in_force_on(known, skill="wifi", day=date(2010, 9, 20),
                        end_of_day=_end(date(2010, 9, 20)))
    assert [v.number for v, _ in on_15] == [1] and [v.number for v, _ in on_20] == [2]


def test_in_force_on_lists_gated_versions_not_yet_effective_as_scheduled():
    # Deadline before the effective day: agents had to pass from 30 August.
    early = _v(1, gate=SEP1 - 2 * DAY, published=SEP1 - 20 * DAY)
    listed = in_force_on([early], skill="wifi", day=date(2010, 8, 30),
                         end_of_day=_end(date(2010, 8, 30)))
    assert [(v.number, life.status) for v, life in listed] == [(1, "scheduled")]
    assert in_force_on([early], skill="wifi", day=date(2010, 8, 29),
                       end_of_day=_end(date(2010, 8, 29))) == []


def test_drafts_and_retired_versions_are_never_in_force():
    known = [_v(1, status="retired"), _v(2, status="draft")]
    assert in_force_on(known, skill="wifi", day=date(2011, 1, 1),
                       end_of_day=_end(date(2011, 1, 1))) == []


def test_changes_at_lists_takeovers_and_effective_days():
    known = [_v(1), LATE]
    assert changes_at(known, "Asia/Seoul") == (
        SEP1,  # v1 takes over at its gate, and 1 September starts (Seoul): one instant
        SEP1 + 9 * DAY,  # LATE's effective day, 10 September
        SEP1 + 19 * DAY,  # LATE takes over when published
    )


@pytest.mark.parametrize(("now", "expected"), [
    (SEP1 - DAY, (datetime.min.replace(tzinfo=UTC), SEP1)),
    (SEP1, (SEP1, SEP1 + 9 * DAY)),
    (SEP1 + DAY, (SEP1, SEP1 + 9 * DAY)),
    (SEP1 + 30 * DAY, (SEP1 + 19 * DAY, datetime.max.replace(tzinfo=UTC))),
])
def test_stable_between(now, expected):
    assert stable_between(changes_at([_v(1), LATE], "Asia/Seoul"), now) == expected


def test_statuses_do_not_change_inside_a_stable_interval():
    known = [
        _v(1), V2_OCT, V3_NOV, NEW_BULLETIN, _v(1, slug="late"),
        _v(2, slug="late", effective=date(2010, 9, 10), gate=SEP1 + 9 * DAY,
           published=SEP1 + 19 * DAY)]
    changes = changes_at(known, "Asia/Seoul")
    seoul = timedelta(hours=9)
    for hour in range(0, 24 * 90, 7):
        now = SEP1 - 5 * DAY + timedelta(hours=hour)
        start, end = stable_between(changes, now)
        for probe in (start, now, end - timedelta(microseconds=1)):
            if probe.year in (1, 9999):
                continue
            assert (lifecycles(known, known, now=probe, today_local=(probe + seoul).date())
                    == lifecycles(known, known, now=now, today_local=(now + seoul).date()))
