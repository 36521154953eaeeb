"""A large, realistic, deterministic dataset for the benchmarks.

Made by ``flask --app benchmarks.app bench-data``.

::

    flask --app benchmarks.app bench-data --agents 20000 --teams 200 --bulletins 300 \\
        --answers 5000000 --seed 1 [--as-of 2026-05-01T00:00:00Z]

It builds skills, teams of skewed sizes (some of them lagging), staff (admin, trainer, the
routing system's integration account, a manager per five teams), agents, published bulletins
with facts, approved items and requirements, every assignment rule 1 implies, attempts with
exactly ``--answers`` saved answers, certifications for the passed ones, and each agent's
stored eligibility with its outbox events. Everyone's password is ``bench-data``.

Why it bypasses the services: they write one agent, attempt and answer at a time through the
ORM, with an eligibility recomputation after each change, which is right for the product and
hopeless for five million answers (hours). Here rows are planned in Python and written with
SQLAlchemy Core ``insert()`` executemany in chunks (:mod:`benchmarks.bulk`), which takes
minutes. Consistency does not come from the services, so it is built in: ids are given
explicitly into an empty database; assignments are exactly rule 1's; every answer belongs to
an attempt item of its attempt; only the last attempt of an assignment passes; a pass has its
certification (``valid_until`` from ``recertify_after_days``); the stored eligibility and each
agent's next check time are computed by the product's own pure rules (``app.domain``) at
``--as-of``; the report aggregates and the served eligibility documents are rebuilt from
the written rows at the end (what ``flask --app app reports rebuild`` does).
``tests/web/test_bench_data.py`` checks that the services agree.

The same seed and ``--as-of`` give the same rows, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import bindparam, func, select

from app.core.extensions import db
from app.core.security import hash_password
from app.derived import eligibility_documents
from app.derived.aggregates_rebuild import rebuild
from app.models import User

from .bulk import BulkWriter
from .data_activity import Activity, eligibility_rows
from .data_org import Org, agent_rows, bulletin_rows, people_rows, skill_rows, team_rows

PASSWORD = "bench-data"


@dataclass(frozen=True)
class Sizes:
    """How much to generate."""

    agents: int
    teams: int
    bulletins: int
    answers: int
    seed: int = 1

    def check(self) -> None:
        """A ValueError naming the first size out of range."""
        for name in ("agents", "teams", "bulletins", "answers"):
            if getattr(self, name) < (0 if name == "answers" else 1):
                raise ValueError(f"--{name} must be at least {0 if name == 'answers' else 1}")


def generate(sizes: Sizes, at: datetime, *, echo=lambda _line: None) -> dict[str, int]:
    """Write the dataset into the app's (empty) database; returns rows written per table."""
    sizes.check()
    users = db.session.scalar(select(func.count(User.id)))
    if users:
        raise ValueError(f"bench-data needs an empty database, and this one has {users} users;"
                         " point DATABASE_URL at a new one and run `flask db upgrade` first")
    db.session.commit()  # no transaction of the session may hold the database
    rng = random.Random(sizes.seed)
    tz = current_app.config["ONEVOICE_TIMEZONE"]
    password_hash = hash_password(PASSWORD)
    with db.engine.connect() as connection:
        writer = BulkWriter(connection)
        org = _organisation(writer, rng, sizes, at, tz, password_hash)
        echo(f"organisation: {len(org.agents)} agents in {len(org.teams)} teams, "
             f"{len(org.versions)} bulletins")
        activity = Activity(writer, rng, org, sizes.answers, at)
        activity.run()
        echo(f"activity: {activity.attempt_id} attempts, {activity.cert_id} certifications")
        user_updates = eligibility_rows(writer, org, activity.certs, at)
        writer.flush()
        _update_users(connection, user_updates, at)
        writer.close()
    with db.engine.begin() as connection:  # the derived tables, from the rows just written
        aggregates = rebuild(connection, at)
        aggregates["eligibility_documents"] = eligibility_documents.rebuild(connection)
    echo("derived tables: " + ", ".join(f"{n:,} {t}" for t, n in aggregates.items()))
    return dict(writer.counts) | aggregates


def _organisation(writer, rng, sizes: Sizes, at, tz, password_hash) -> Org:
    skill_ids = skill_rows(writer)
    teams = team_rows(writer, rng, sizes.teams, at)
    agents, staff = people_rows(writer, rng, teams, sizes.agents, password_hash, at)
    agent_rows(writer, agents, skill_ids, password_hash, at)
    versions = bulletin_rows(writer, rng, sizes.bulletins, teams, at, tz)
    return Org(skill_ids, teams, agents, versions, staff)


def _update_users(connection, rows: list[dict], at: datetime) -> None:
    """Each agent's eligibility version and next time-driven check, in one executemany
    (``updated_at`` given, so the same seed gives the same rows)."""
    users = db.metadata.tables["users"]
    statement = users.update().where(users.c.id == bindparam("uid")).values(
        eligibility_version=bindparam("version"), eligibility_check_at=bindparam("check_at"),
        updated_at=at)
    for start in range(0, len(rows), 20_000):
        connection.execute(statement, rows[start:start + 20_000])


def _as_of(_ctx, _param, value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date-time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@click.command("bench-data")
@click.option("--agents", default=20_000, show_default=True, type=int)
@click.option("--teams", default=200, show_default=True, type=int)
@click.option("--bulletins", default=300, show_default=True, type=int)
@click.option("--answers", default=5_000_000, show_default=True, type=int)
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--as-of", "as_of", default=None, callback=_as_of,
              help="The generator's 'now' (ISO; default: this hour, UTC).")
@with_appcontext
def bench_data_command(agents, teams, bulletins, answers, seed, as_of):
    """Fill an empty database with a large, deterministic benchmark dataset."""
    started = time.perf_counter()
    try:
        counts = generate(Sizes(agents, teams, bulletins, answers, seed), as_of,
                          echo=click.echo)
    except ValueError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    for table, count in sorted(counts.items()):
        click.echo(f"{table:>20}: {count:>10,}")
    click.echo(f"done in {time.perf_counter() - started:.1f} s (as of {as_of.isoformat()}); "
               f"every account's password: {PASSWORD}")
