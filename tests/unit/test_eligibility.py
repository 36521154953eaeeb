"""Eligibility (rules 3, 5, 6) as tables on a frozen clock: no app, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.eligibility import (
    Agent,
    Certification,
    Missing,
    Requirement,
    SkillEligibility,
    applies,
    changes,
    evaluate,
    next_change_at,
)
from app.domain.gating import gate_at as compute_gate_at

GATE = datetime(2010, 8, 31, 15, tzinfo=UTC)  # 2010-09-01 00:00 in Seoul
BEFORE = GATE - timedelta(seconds=1)
AFTER = GATE + timedelta(days=1)
PASSED = GATE - timedelta(days=3)
PUBLISHED = datetime(2010, 8, 20, 5, 30, tzinfo=UTC)
IMMEDIATE = compute_gate_at(
    effective=date(2010, 9, 1),
    deadline=None,
    gate="immediate",
    tz="Asia/Seoul",
    published_at=PUBLISHED,
)

AGENT = Agent(active=True, team="wibro_care", skills=frozenset({"wibro", "wifi"}))
INACTIVE = Agent(active=False, team="wibro_care", skills=frozenset({"wibro", "wifi"}))
NO_TEAM = Agent(active=True, team=None, skills=frozenset({"wibro", "wifi"}))


def req(
    id=1,
    *,
    bulletin="wibro50-wifi-login",
    version=1,
    skill="wibro",
    gate_at=GATE,
    accepts=(11,),
    teams=(),
    retired_at=None,
) -> Requirement:
    """A requirement; version ids are 10 * bulletin number + version (11 = first, v1)."""
    return Requirement(
        id=id,
        bulletin=bulletin,
        version=version,
        skill=skill,
        gate_at=gate_at,
        accepts=frozenset(accepts),
        teams=frozenset(teams),
        retired_at=retired_at,
        title=f"{bulletin} v{version}",
    )


def cert(version_id=11, valid_until=None, passed_at=PASSED) -> Certification:
    return Certification(version_id=version_id, passed_at=passed_at, valid_until=valid_until)


def miss(r: Requirement, expired=False) -> Missing:
    return Missing(r.id, r.bulletin, r.version, r.gate_at, r.title, expired)


def ok(skill, valid_until=None, upcoming=()) -> SkillEligibility:
    return SkillEligibility(skill, True, valid_until, upcoming=tuple(upcoming))


def blocked(skill, *missing, upcoming=()) -> SkillEligibility:
    return SkillEligibility(skill, False, None, missing=tuple(missing), upcoming=tuple(upcoming))


def off(skill) -> SkillEligibility:
    return SkillEligibility(skill, False, None, inactive=True)


R1 = req()
R1_V2_MINOR = req(2, version=2, accepts=(11, 12))
R1_V2_MATERIAL = req(2, version=2, accepts=(12,))
R_WIFI = req(3, bulletin="wifi-bundle-2010", skill="wifi", accepts=(21,))
R_OTHER = req(4, bulletin="apn-settings", accepts=(31,))
R_FUTURE = req(5, bulletin="roaming-fees", gate_at=AFTER + timedelta(days=7), accepts=(41,))
R_EARLY = req(6, bulletin="zz-early", gate_at=GATE - timedelta(days=1), accepts=(51,))
R_TEAM = req(7, teams=("wifi_support",))
R_MY_TEAM = req(8, teams=("wibro_care", "wifi_support"))
R_RETIRED = req(9, retired_at=AFTER - timedelta(hours=1))
R_RETIRED_AT = req(10, retired_at=AFTER)
R_RETIRING = req(11, retired_at=AFTER + timedelta(hours=1))
R_WIRED = req(12, skill="wired", accepts=(61,))
R_IMMEDIATE = req(13, bulletin="outage-credit", gate_at=IMMEDIATE, accepts=(71,))
EXPIRY = AFTER + timedelta(days=30)

# One case per row reads better than one argument per line.
# fmt: off
CASES = [
    # id, agent, requirements, certifications, at, expected
    ("no-requirements-cleared", AGENT, [], [], AFTER, [ok("wibro"), ok("wifi")]),
    ("gate-in-future-cleared-with-upcoming", AGENT, [R1], [], BEFORE,
     [ok("wibro", upcoming=[miss(R1)]), ok("wifi")]),
    ("gate-passed-without-cert-blocked", AGENT, [R1], [], AFTER,
     [blocked("wibro", miss(R1)), ok("wifi")]),
    ("gate-exactly-now-blocks", AGENT, [R1], [], GATE, [blocked("wibro", miss(R1)), ok("wifi")]),
    ("cert-on-version-cleared", AGENT, [R1], [cert(11)], AFTER, [ok("wibro"), ok("wifi")]),
    ("cert-passed-before-gate-still-counts", AGENT, [R1], [cert(11, passed_at=BEFORE)], AFTER,
     [ok("wibro"), ok("wifi")]),
    ("minor-version-accepts-earlier-cert", AGENT, [R1_V2_MINOR], [cert(11)], AFTER,
     [ok("wibro"), ok("wifi")]),
    ("material-version-rejects-older-cert", AGENT, [R1_V2_MATERIAL], [cert(11)], AFTER,
     [blocked("wibro", miss(R1_V2_MATERIAL)), ok("wifi")]),
    ("material-version-cert-on-new-version", AGENT, [R1_V2_MATERIAL], [cert(11), cert(12)], AFTER,
     [ok("wibro"), ok("wifi")]),
    ("expired-cert-blocks-as-expired", AGENT, [R1], [cert(11, AFTER - timedelta(hours=1))], AFTER,
     [blocked("wibro", miss(R1, expired=True)), ok("wifi")]),
    ("valid-until-exactly-now-blocks", AGENT, [R1], [cert(11, AFTER)], AFTER,
     [blocked("wibro", miss(R1, expired=True)), ok("wifi")]),
    ("valid-until-later-cleared-until-then", AGENT, [R1], [cert(11, EXPIRY)], AFTER,
     [ok("wibro", EXPIRY), ok("wifi")]),
    ("renewed-cert-beats-expired-one", AGENT, [R1], [cert(11, AFTER), cert(11, EXPIRY)], AFTER,
     [ok("wibro", EXPIRY), ok("wifi")]),
    ("non-expiring-cert-beats-expiring-one", AGENT, [R1], [cert(11, EXPIRY), cert(11)], AFTER,
     [ok("wibro"), ok("wifi")]),
    ("earliest-expiry-among-relied-on", AGENT, [R1, R_OTHER],
     [cert(11, EXPIRY), cert(31, EXPIRY - timedelta(days=1))], AFTER,
     [ok("wibro", EXPIRY - timedelta(days=1)), ok("wifi")]),
    ("expiry-of-upcoming-cert-not-relied-on", AGENT, [R1, R_FUTURE], [cert(11), cert(41, EXPIRY)],
     AFTER, [ok("wibro"), ok("wifi")]),
    ("team-filter-excludes", AGENT, [R_TEAM], [], AFTER, [ok("wibro"), ok("wifi")]),
    ("team-filter-includes", AGENT, [R_MY_TEAM], [], AFTER,
     [blocked("wibro", miss(R_MY_TEAM)), ok("wifi")]),
    ("no-team-excluded-by-team-filter", NO_TEAM, [R_TEAM], [], AFTER, [ok("wibro"), ok("wifi")]),
    ("no-team-bound-by-open-requirement", NO_TEAM, [R1], [], AFTER,
     [blocked("wibro", miss(R1)), ok("wifi")]),
    ("retired-requirement-no-longer-blocks", AGENT, [R_RETIRED], [], AFTER,
     [ok("wibro"), ok("wifi")]),
    ("retired-exactly-now-no-longer-blocks", AGENT, [R_RETIRED_AT], [], AFTER,
     [ok("wibro"), ok("wifi")]),
    ("retired-in-future-still-blocks", AGENT, [R_RETIRING], [], AFTER,
     [blocked("wibro", miss(R_RETIRING)), ok("wifi")]),
    ("superseding-bulletin-takes-over", AGENT, [R_RETIRED, R_OTHER], [cert(11)], AFTER,
     [blocked("wibro", miss(R_OTHER)), ok("wifi")]),
    ("inactive-blocks-every-skill", INACTIVE, [R1], [cert(11)], AFTER, [off("wibro"), off("wifi")]),
    ("inactive-without-requirements", INACTIVE, [], [], AFTER, [off("wibro"), off("wifi")]),
    ("skill-not-held-not-in-result", AGENT, [R_WIRED], [], AFTER, [ok("wibro"), ok("wifi")]),
    ("requirement-blocks-only-its-skill", AGENT, [R_WIFI], [], AFTER,
     [ok("wibro"), blocked("wifi", miss(R_WIFI))]),
    ("two-requirements-one-missing", AGENT, [R1, R_OTHER], [cert(11)], AFTER,
     [blocked("wibro", miss(R_OTHER)), ok("wifi")]),
    ("missing-sorted-by-due-then-bulletin", AGENT, [R_OTHER, R1, R_EARLY], [], AFTER,
     [blocked("wibro", miss(R_EARLY), miss(R_OTHER), miss(R1)), ok("wifi")]),
    ("blocked-and-upcoming-together", AGENT, [R1, R_FUTURE], [], AFTER,
     [blocked("wibro", miss(R1), upcoming=[miss(R_FUTURE)]), ok("wifi")]),
    ("upcoming-with-expired-cert", AGENT, [R_FUTURE], [cert(41, AFTER)], AFTER,
     [ok("wibro", upcoming=[miss(R_FUTURE, expired=True)]), ok("wifi")]),
    ("upcoming-already-certified-not-listed", AGENT, [R_FUTURE], [cert(41)], AFTER,
     [ok("wibro"), ok("wifi")]),
    ("gate-immediate-blocks-from-publication", AGENT, [R_IMMEDIATE], [], PUBLISHED,
     [blocked("wibro", miss(R_IMMEDIATE)), ok("wifi")]),
    ("gate-immediate-upcoming-before-publication", AGENT, [R_IMMEDIATE], [],
     PUBLISHED - timedelta(microseconds=1),
     [ok("wibro", upcoming=[miss(R_IMMEDIATE)]), ok("wifi")]),
    ("gate-immediate-passed-cleared", AGENT, [R_IMMEDIATE], [cert(71, passed_at=PUBLISHED)],
     PUBLISHED, [ok("wibro"), ok("wifi")]),
]
# fmt: on


@pytest.mark.parametrize(
    ("agent", "requirements", "certifications", "at", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in CASES],
)
def test_evaluate(agent, requirements, certifications, at, expected):
    result = evaluate(agent, requirements, certifications, at)
    assert list(result.values()) == expected
    assert list(result) == [e.skill for e in expected]  # keyed and ordered by skill


@pytest.mark.parametrize(
    ("agent", "requirements", "certifications", "at", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in CASES],
)
def test_next_change_at_never_skips_a_change(agent, requirements, certifications, at, expected):
    """Nothing evaluate() reports changes between ``at`` and just before next_change_at."""
    change = next_change_at(agent, requirements, certifications, at)
    until = change - timedelta(microseconds=1) if change else at + timedelta(days=3650)
    assert change is None or change > at
    assert evaluate(agent, requirements, certifications, until) == evaluate(
        agent, requirements, certifications, at
    )


@pytest.mark.parametrize(
    ("agent", "requirements", "certifications", "at", "expected"),
    [
        pytest.param(AGENT, [], [], AFTER, None, id="no-requirements-never"),
        pytest.param(AGENT, [R1], [], BEFORE, GATE, id="gate-ahead"),
        pytest.param(AGENT, [R1], [], GATE, None, id="gate-exactly-now-not-after"),
        pytest.param(AGENT, [R1], [], AFTER, None, id="blocked-stays-blocked"),
        pytest.param(AGENT, [R1], [cert(11, EXPIRY)], AFTER, EXPIRY, id="cert-expiry-ahead"),
        pytest.param(AGENT, [R1], [cert(11, EXPIRY)], BEFORE, GATE, id="gate-before-expiry"),
        pytest.param(AGENT, [R1], [cert(99, EXPIRY)], AFTER, None, id="unaccepted-cert-ignored"),
        pytest.param(AGENT, [R1], [cert(11, AFTER)], AFTER, None, id="expired-cert-past"),
        pytest.param(AGENT, [R_RETIRING], [], AFTER, R_RETIRING.retired_at, id="retirement-ahead"),
        pytest.param(AGENT, [R_RETIRED], [], AFTER, None, id="retired-already"),
        pytest.param(
            AGENT,
            [req(gate_at=AFTER, retired_at=GATE + timedelta(hours=1))],
            [],
            BEFORE,
            GATE + timedelta(hours=1),
            id="gate-after-retirement-ignored",
        ),
        pytest.param(AGENT, [R1, R_FUTURE], [], AFTER, R_FUTURE.gate_at, id="future-gate"),
        pytest.param(AGENT, [R_TEAM], [], BEFORE, None, id="other-team-ignored"),
        pytest.param(AGENT, [R_WIRED], [], BEFORE, None, id="skill-not-held-ignored"),
        pytest.param(INACTIVE, [R1], [cert(11, EXPIRY)], BEFORE, None, id="inactive-never"),
        pytest.param(
            AGENT,
            [R1, R_WIFI, R_FUTURE],
            [cert(11, EXPIRY), cert(21, AFTER + timedelta(days=2))],
            AFTER,
            AFTER + timedelta(days=2),
            id="earliest-of-many",
        ),
    ],
)
def test_next_change_at(agent, requirements, certifications, at, expected):
    assert next_change_at(agent, requirements, certifications, at) == expected


@pytest.mark.parametrize(
    ("requirement", "agent", "at", "expected"),
    [
        pytest.param(R1, AGENT, AFTER, True, id="held-skill-open-teams"),
        pytest.param(R_WIRED, AGENT, AFTER, False, id="skill-not-held"),
        pytest.param(R_TEAM, AGENT, AFTER, False, id="other-team"),
        pytest.param(R_MY_TEAM, AGENT, AFTER, True, id="my-team"),
        pytest.param(R_RETIRING, AGENT, AFTER, True, id="retires-later"),
        pytest.param(R_RETIRED_AT, AGENT, AFTER, False, id="retired-exactly-now"),
        pytest.param(R1, INACTIVE, AFTER, True, id="activity-is-not-its-concern"),
    ],
)
def test_applies(requirement, agent, at, expected):
    assert applies(requirement, agent, at) is expected


CLEAR = {"wibro": ok("wibro"), "wifi": ok("wifi")}
WIBRO_BLOCKED = {"wibro": blocked("wibro", miss(R1)), "wifi": ok("wifi")}
BOTH_BLOCKED = {"wibro": blocked("wibro", miss(R1)), "wifi": blocked("wifi", miss(R_WIFI))}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(CLEAR, CLEAR, [], id="no-change"),
        pytest.param(WIBRO_BLOCKED, CLEAR, [("wibro", True)], id="becomes-cleared"),
        pytest.param(CLEAR, WIBRO_BLOCKED, [("wibro", False)], id="becomes-blocked"),
        pytest.param(CLEAR, BOTH_BLOCKED, [("wibro", False), ("wifi", False)], id="sorted"),
        pytest.param(
            WIBRO_BLOCKED,
            {"wibro": blocked("wibro", miss(R1, expired=True)), "wifi": ok("wifi")},
            [],
            id="reason-change-only",
        ),
        pytest.param({}, CLEAR, [("wibro", True), ("wifi", True)], id="new-skills-cleared"),
        pytest.param({}, BOTH_BLOCKED, [], id="new-skills-blocked"),
        pytest.param(CLEAR, {"wibro": ok("wibro")}, [("wifi", False)], id="dropped-cleared-skill"),
        pytest.param(
            WIBRO_BLOCKED,
            {"wifi": ok("wifi")},
            [],
            id="dropped-blocked-skill",
        ),
        pytest.param(
            CLEAR,
            {k: off(k) for k in CLEAR},
            [("wibro", False), ("wifi", False)],
            id="deactivation",
        ),
        pytest.param({k: off(k) for k in CLEAR}, {}, [], id="inactive-skills-dropped"),
    ],
)
def test_changes(old, new, expected):
    assert changes(old, new) == expected


def test_evaluate_accepts_iterators():
    result = evaluate(AGENT, iter([R1]), iter([cert(11)]), AFTER)
    assert result["wibro"].cleared
