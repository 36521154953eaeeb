"""GET /api/v1/eligibility (bulk listing) and /eligibility/changes (the change feed)."""

from __future__ import annotations

import base64
import random
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.errors import ServiceError
from app.models import Assignment, Bulletin, BulletinVersion, EligibilityEvent, User, utcnow
from app.services.certification import attempts
from app.services.content import bulletins
from app.services.integration import feed, webhooks
from tests.conftest import WIFI_BULLETIN, publish_wifi

LISTING, CHANGES = "/api/v1/eligibility", "/api/v1/eligibility/changes"
SKILLS = ("wibro", "wifi", "wired", "billing")
TEAMS = ("wibro_sales", "wibro_care", "wifi_support", "wired_care")
EVERY_TEAM = WIFI_BULLETIN.replace("teams: [wibro_care, wifi_support]",
                                   f"teams: [{', '.join(TEAMS)}]")
assert EVERY_TEAM != WIFI_BULLETIN


def directory_row(n: int, team: str = "wired_care", skills=("wired",), active=True) -> dict:
    return {"external_id": f"A{n}", "name": f"Agent {n}", "email": f"a{n}@example.com",
            "team": team, "skills": list(skills), "active": active}


def sync(client, org, rows) -> None:
    response = client.put("/api/v1/agents", json=rows, headers=org.headers("admin@example.com"))
    assert response.status_code == 200, response.json


def max_seq(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(EligibilityEvent.seq))) or 0


@pytest.fixture
def router(org) -> dict:
    return org.headers("router@example.com")


# --- the listing ------------------------------------------------------------------------------


def test_listing_holds_the_per_agent_documents_and_the_feed_position(client, org, router):
    publish_wifi(org)
    body = client.get(LISTING, headers=router).json
    assert set(body) == {"agents", "next_cursor", "as_of"}
    assert [a["agent"] for a in body["agents"]] == ["A1", "A2"]
    for document in body["agents"]:
        one = client.get(f"/api/v1/agents/{document['agent']}/eligibility", headers=router).json
        assert document == one
    assert body["next_cursor"] is None and body["as_of"] == max_seq(org.app) > 0


def test_pages_follow_the_cursor_in_agent_order(client, org, router):
    sync(client, org, [directory_row(n) for n in range(3, 10)])
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get(LISTING, query_string=params, headers=router).json
        seen += [a["agent"] for a in body["agents"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert len(body["agents"]) == 3
    assert seen == ["A1", "A2", *[f"A{n}" for n in range(3, 10)]] and pages == 3


def test_cursor_is_opaque_base64_of_the_last_agent_id(client, org, router):
    body = client.get(LISTING, query_string={"limit": 1}, headers=router).json
    with org.app.app_context():
        a1 = db.session.scalar(select(User.id).where(User.external_id == "A1"))
    padded = body["next_cursor"] + "=" * (-len(body["next_cursor"]) % 4)
    assert base64.urlsafe_b64decode(padded).decode() == str(a1)


@pytest.mark.parametrize(("query", "agents"), [
    ({"skill": "wired"}, ["A2"]),
    ({"skill": "wifi"}, ["A1", "A2"]),
    ({"skill": "billing"}, []),
    ({"team": "wibro_care"}, ["A1"]),
    ({"team": "wibro_care", "skill": "wired"}, []),
])
def test_filters(client, org, router, query, agents):
    body = client.get(LISTING, query_string=query, headers=router).json
    assert [a["agent"] for a in body["agents"]] == agents


@pytest.mark.parametrize(("query", "status", "field"), [
    ({"skill": "telepathy"}, 400, "skill"),
    ({"cursor": "not-a-cursor!"}, 400, "cursor"),
    ({"cursor": base64.urlsafe_b64encode(b"x1").decode()}, 400, "cursor"),
    ({"limit": "0"}, 400, "limit"),
    ({"limit": "1001"}, 400, "limit"),
    ({"limit": "ten"}, 400, "limit"),
    ({"team": "moon_base"}, 404, "team"),
])
def test_listing_rejects_bad_parameters(client, org, router, query, status, field):
    response = client.get(LISTING, query_string=query, headers=router)
    assert response.status_code == status
    error = response.json["error"]
    assert error["details"] == {"field": field} and error["message"]


def test_manager_lists_only_their_teams(client, org):
    manager = org.headers("manager@example.com")
    body = client.get(LISTING, headers=manager).json
    assert [a["agent"] for a in body["agents"]] == ["A1"]
    assert client.get(LISTING, query_string={"team": "wired_care"},
                      headers=manager).status_code == 403


def test_listing_takes_a_bounded_number_of_queries(client, org, router):
    def statements(limit: int) -> int:
        count = 0

        def counter(*_args):
            nonlocal count
            count += 1

        with org.app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            response = client.get(LISTING, query_string={"limit": limit}, headers=router)
            assert response.status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        return count

    sync(client, org, [directory_row(n, skills=("wired", "wifi")) for n in range(3, 43)])
    publish_wifi(org)
    assert len(client.get(LISTING, query_string={"limit": 40}, headers=router)
               .json["agents"]) == 40
    assert statements(40) == statements(2)


def test_listing_applies_a_gate_that_has_come(client, org, router):
    publish_wifi(org)
    with org.app.app_context(), unit_of_work():  # the scheduler has not run yet
        db.session.execute(update(User).values(eligibility_check_at=utcnow()
                                               - timedelta(seconds=1)))
    before = max_seq(org.app)
    body = client.get(LISTING, headers=router).json
    assert body["as_of"] == max_seq(org.app) >= before
    with org.app.app_context():
        checks = db.session.scalars(select(User.eligibility_check_at)
                                    .where(User.role == "agent")).all()
    assert all(c is None or c > utcnow() for c in checks)


# --- the change feed -------------------------------------------------------------------------


def test_changes_since_a_position(client, org, router):
    start = max_seq(org.app)
    publish_wifi(org, EVERY_TEAM)
    body = client.get(CHANGES, query_string={"since": start}, headers=router).json
    assert [(c["agent"], c["skill"], c["cleared"], c["reason"]) for c in body["changes"]] == [
        ("A1", "wibro", False, "bulletin_published"), ("A1", "wifi", False, "bulletin_published"),
        ("A2", "wifi", False, "bulletin_published")]
    first = body["changes"][0]
    assert set(first) == {"seq", "agent", "skill", "cleared", "reason", "at", "version"}
    assert first["seq"] == start + 1 and first["version"] == 2 and first["at"].endswith("+00:00")
    assert body["next_since"] == max_seq(org.app)
    nothing = client.get(CHANGES, query_string={"since": body["next_since"]},
                         headers=router).json
    assert nothing == {"changes": [], "next_since": body["next_since"]}


def test_limit_pages_through_the_feed(client, org, router):
    publish_wifi(org)
    since, seqs = 0, []
    while True:
        body = client.get(CHANGES, query_string={"since": since, "limit": 2},
                          headers=router).json
        seqs += [c["seq"] for c in body["changes"]]
        if not body["changes"]:
            break
        assert body["next_since"] == body["changes"][-1]["seq"]
        since = body["next_since"]
    assert seqs == list(range(1, max_seq(org.app) + 1))


def test_manager_follows_only_their_teams_but_moves_past_the_others(client, org):
    start = max_seq(org.app)
    publish_wifi(org, EVERY_TEAM)
    assert {c["agent"] for c in client.get(CHANGES, query_string={"since": start},
            headers=org.headers("router@example.com")).json["changes"]} == {"A1", "A2"}
    body = client.get(CHANGES, query_string={"since": start},
                      headers=org.headers("manager@example.com")).json
    assert {c["agent"] for c in body["changes"]} == {"A1"}
    assert body["next_since"] == max_seq(org.app)


def test_since_ahead_of_the_feed_waits_for_it(client, org, router):
    body = client.get(CHANGES, query_string={"since": 500}, headers=router).json
    assert body == {"changes": [], "next_since": 500}


@pytest.mark.parametrize(("query", "field"), [
    ({"since": "-1"}, "since"), ({"since": "first"}, "since"), ({"limit": "0"}, "limit"),
    ({"wait": "26"}, "wait"), ({"wait": "-1"}, "wait"), ({"wait": "soon"}, "wait"),
])
def test_changes_reject_bad_parameters(client, org, router, query, field):
    response = client.get(CHANGES, query_string=query, headers=router)
    assert response.status_code == 400 and response.json["error"]["details"] == {"field": field}


def test_wait_returns_as_soon_as_a_change_arrives_without_holding_a_transaction(
        client, org, router, monkeypatch):
    since = max_seq(org.app)
    naps = []

    def nap(seconds):
        assert not db.session().in_transaction(), "a transaction is open while waiting"
        naps.append(seconds)
        if len(naps) == 2:  # a change arrives while the request waits
            sync(client, org, [directory_row(3)])

    monkeypatch.setattr(feed, "_sleep", nap)
    body = client.get(CHANGES, query_string={"since": since, "wait": 20}, headers=router).json
    assert [(c["agent"], c["reason"]) for c in body["changes"]] == [("A3", "agent_created")]
    assert len(naps) == 2 and all(0 < n <= feed.POLL_SECONDS for n in naps)


def test_wait_gives_up_when_the_time_is_up(client, org, router):
    since = max_seq(org.app)
    started = time.monotonic()
    body = client.get(CHANGES, query_string={"since": since, "wait": "1.2"}, headers=router).json
    assert body == {"changes": [], "next_since": since}
    assert 1.2 <= time.monotonic() - started < 4


def test_pruned_positions_are_gone(client, org, router, app):
    publish_wifi(org)
    newest = max_seq(app)
    with app.app_context():
        assert feed.prune_events(at=utcnow() + timedelta(days=31)) == 0  # webhooks first
        webhooks.fan_out()
        assert feed.prune_events(at=utcnow() + timedelta(days=31)) == newest - 1
    response = client.get(CHANGES, query_string={"since": 0}, headers=router)
    assert response.status_code == 410
    error = response.json["error"]
    assert error["code"] == "since_too_old" and "30 days" in error["message"]
    assert client.get(CHANGES, query_string={"since": newest - 1},
                      headers=router).json["changes"][0]["seq"] == newest
    # positions keep growing after a prune: the newest event is never deleted
    sync(client, org, [directory_row(3)])
    assert max_seq(app) > newest


def test_worker_prunes_events_older_than_the_retention(app, org):
    from app.worker import run_once

    publish_wifi(org)
    app.config["ONEVOICE_FEED_RETENTION_DAYS"] = 7
    newest = max_seq(app)
    with app.app_context(), unit_of_work():
        db.session.execute(update(EligibilityEvent).where(EligibilityEvent.seq <= 2)
                           .values(at=utcnow() - timedelta(days=8)))
    run_once(app)  # fans the events out to the webhooks,
    run_once(app)  # then they may go
    with app.app_context():
        kept = db.session.scalars(select(EligibilityEvent.seq)).all()
    assert sorted(kept) == list(range(3, newest + 1))


def test_a_reader_never_sees_a_later_event_before_an_earlier_one_commits(app, org, router):
    """Seq order is commit order: otherwise a consumer could pass seq 10 for ever."""
    import threading

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.external_id == "A1"))
    client = app.test_client()
    client.get(CHANGES, headers=router)  # records the token's use now, not while a writer waits
    start = max_seq(app)
    flushed, go = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write(wait_for_go: bool) -> None:
        try:
            with app.app_context(), unit_of_work():
                db.session.add(EligibilityEvent(user_id=user_id, skill="wifi", cleared=True,
                                                reason="test", agent_version=99, at=utcnow()))
                db.session.flush()
                if wait_for_go:
                    flushed.set()
                    assert go.wait(10)
        except BaseException as error:  # noqa: BLE001  (reported by the main thread)
            errors.append(error)

    first = threading.Thread(target=write, args=(True,))
    first.start()
    assert flushed.wait(10)  # seq start+1 is drawn, not committed
    second = threading.Thread(target=write, args=(False,))
    second.start()
    time.sleep(0.5)  # give the second writer every chance to commit start+2 first
    seen = client.get(CHANGES, query_string={"since": start}, headers=router).json
    assert seen == {"changes": [], "next_since": start}
    go.set()
    first.join(10)
    second.join(10)
    assert errors == []
    seen = client.get(CHANGES, query_string={"since": start}, headers=router).json
    assert [c["seq"] for c in seen["changes"]] == [start + 1, start + 2]


# --- a consumer that follows the feed ends with the server's state ---------------------------


class Consumer:
    """What the routing system keeps: cleared (agent, skill) pairs and agent versions."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers
        self.cleared: set[tuple[str, str]] = set()
        self.versions: dict[str, int] = {}
        self.since: int | None = None
        self.cursor: str | None = None
        self.listing_done = False

    def read_page(self, limit: int) -> None:
        query = {"limit": limit, **({"cursor": self.cursor} if self.cursor else {})}
        body = self.client.get(LISTING, query_string=query, headers=self.headers).json
        if self.since is None:
            self.since = body["as_of"]  # the first page's position: the earliest one
        for document in body["agents"]:
            agent = document["agent"]
            self.cleared -= {pair for pair in self.cleared if pair[0] == agent}
            self.cleared |= {(agent, c["skill"]) for c in document["cleared"]}
            self.versions[agent] = document["version"]
        self.cursor = body["next_cursor"]
        self.listing_done = self.cursor is None

    def follow(self, limit: int) -> int:
        body = self.client.get(CHANGES, query_string={"since": self.since, "limit": limit},
                               headers=self.headers).json
        for change in body["changes"]:
            pair = (change["agent"], change["skill"])
            (self.cleared.add if change["cleared"] else self.cleared.discard)(pair)
            self.versions[change["agent"]] = max(self.versions.get(change["agent"], 0),
                                                 change["version"])
        self.since = body["next_since"]
        return len(body["changes"])


def bulletin_source(slug: str, skills, teams, fee: int) -> str:
    return f"""---
id: {slug}
title: Fee change {slug}
lang: en
effective: 2035-03-20
skills: [{", ".join(skills)}]
teams: [{", ".join(teams)}]
gate: immediate
---
From 20 March the ==fee== changes.

## Facts
- **Fee** {{#f-fee type=money}}: {fee},000 won (was: 25,000 won)
"""


class World:
    """Random publications, passes and directory changes, each through the real services."""

    def __init__(self, client, org, rng: random.Random):
        self.client, self.org, self.rng = client, org, rng
        self.slugs: list[str] = []
        self.agents = {f"A{n}": directory_row(n) for n in range(1, 7)}
        self.agents["A1"] = {**directory_row(1, "wibro_care", ("wibro", "wifi")),
                             "name": "Agent", "email": "agent@example.com"}
        self.agents["A2"] = {**directory_row(2, "wired_care", ("wired", "wifi")),
                             "name": "Agent2", "email": "agent2@example.com"}

    def publish(self) -> None:
        rng = self.rng
        slug = (rng.choice(self.slugs) if self.slugs and rng.random() < 0.3
                else f"fee-{len(self.slugs) + 1}")
        source = bulletin_source(slug, rng.sample(SKILLS, 1),
                                 rng.sample(TEAMS, 1), rng.randint(26, 99))
        with self.org.app.app_context():
            version = bulletins.create_draft(source)
            with unit_of_work():
                for item in version.items:
                    item.status = "approved"
                bulletins.publish(version, rng.choice(["material", "minor"]))
        if slug not in self.slugs:
            self.slugs.append(slug)

    def pass_one(self) -> None:
        """An agent passes one of their assignments (the bulletin's newest version)."""
        with self.org.app.app_context():
            candidates = db.session.execute(
                select(User, Bulletin.slug).join(Assignment, Assignment.user_id == User.id)
                .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
                .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
                .where(User.active.is_(True)).distinct().order_by(User.id, Bulletin.slug)).all()
            self.rng.shuffle(candidates)
            for user, slug in candidates:
                try:
                    attempt = attempts.start(user, slug)
                except ServiceError:  # not assigned, certified already, or retakes exhausted
                    db.session.rollback()
                    continue
                for entry in attempt.items:
                    key = next(o.id for o in entry.item.options if o.correct)
                    attempts.save_answer(user, attempt.id, entry.item_id, key)
                assert attempts.submit(user, attempt.id)["passed"] is True
                return

    def move(self) -> None:
        """A directory change: a new agent, or one agent's team, skills or activity."""
        rng = self.rng
        external_id = rng.choice([*self.agents, f"A{len(self.agents) + 1}"])
        row = self.agents.get(external_id) or directory_row(int(external_id[1:]))
        change = rng.choice(["team", "skills", "active", "all"])
        if change in ("team", "all"):
            row = {**row, "team": rng.choice(TEAMS)}
        if change in ("skills", "all"):
            row = {**row, "skills": rng.sample(SKILLS, rng.randint(0, 3))}
        if change in ("active", "all"):
            row = {**row, "active": not row["active"] if change == "active" else True}
        self.agents[external_id] = row
        sync(self.client, self.org, [row])


@pytest.mark.parametrize("seed", [7, 2024, 31337])
def test_a_consumer_following_the_feed_ends_with_the_servers_state(client, org, router, seed):
    rng = random.Random(seed)
    world, consumer = World(client, org, rng), Consumer(client, router)
    sync(client, org, list(world.agents.values()))
    actions = [world.publish, world.pass_one, world.move]
    for step in range(60):
        rng.choices(actions, weights=[1, 5, 4])[0]()
        if step >= 5 and not consumer.listing_done:
            consumer.read_page(limit=2)  # the listing is read while the world changes
        elif consumer.listing_done and rng.random() < 0.4:
            consumer.follow(limit=rng.randint(1, 4))
    while not consumer.listing_done:
        consumer.read_page(limit=2)
    while consumer.follow(limit=5):
        pass

    final = Consumer(client, router)
    while not final.listing_done:
        final.read_page(limit=50)
    assert final.cleared, "the scenario should leave some agent cleared"
    assert consumer.cleared == final.cleared
    assert {a: v for a, v in consumer.versions.items() if v} == \
        {a: v for a, v in final.versions.items() if v}
    assert consumer.since == final.since == max_seq(org.app)
    with org.app.app_context():  # the scenario exercised the kinds of change
        reasons = set(db.session.scalars(select(EligibilityEvent.reason)))
    assert reasons >= {"agent_created", "bulletin_published", "certification_passed",
                       "skills_changed", "deactivated", "reactivated"}
