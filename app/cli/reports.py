"""``flask --app app reports ...``: the report aggregates behind the manager views."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.core.extensions import db
from app.derived import eligibility_documents
from app.derived.aggregates import refresh_expired
from app.derived.aggregates_rebuild import rebuild


@click.group("reports", cls=AppGroup)  # commands run in an app context
def reports_group():
    """Maintain the aggregates the manager board and gaps view read."""


@reports_group.command("rebuild")
def rebuild_command():
    """Recompute every report aggregate and every agent's stored eligibility document from
    scratch, in one transaction.

    For a database written around the services (bulk SQL, `bench-data` does it itself) or to
    check the incremental upkeep; the app keeps them up to date on its own otherwise.
    """
    started = time.perf_counter()
    db.session.commit()  # no transaction of the session may hold the database
    with db.engine.begin() as connection:
        counts = rebuild(connection)
        counts["eligibility docs"] = eligibility_documents.rebuild(connection)
    for table, count in counts.items():
        click.echo(f"{table:>16}: {count:>10,}")
    click.echo(f"rebuilt in {time.perf_counter() - started:.1f} s")


@reports_group.command("refresh")
def refresh_command():
    """Recount the board cells whose certifications expired since they were counted (the
    worker does this on every pass)."""
    click.echo(f"cells recounted: {refresh_expired()}")
