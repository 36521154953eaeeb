"""``flask --app app calls ...``: answered calls from a routing platform's export."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.errors import ServiceError
from app.queries.compliance import period
from app.services.accounts.directory import InvalidRows
from app.services.calls.answered import import_csv, recheck


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.group("calls", cls=AppGroup)  # commands run in an app context
def calls_group():
    """Answered calls and their compliance with eligibility."""


@calls_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def calls_import(file):
    """Record the answered calls of a CSV file; every row is checked first; all or nothing.

    Columns: call_id,agent,skill,answered_at (agent = external_id, skill = call type code,
    answered_at = RFC 3339 with an offset). A call_id already recorded with the same values
    is skipped, so the same export can be imported again.
    """
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        _fail(f"{file}: not UTF-8 text (byte {error.start}); save it as 'CSV UTF-8'")
    try:
        recorded = import_csv(text)
    except InvalidRows as error:
        for problem in error.errors[:50]:
            click.echo(f"{file}: {problem}", err=True)
        if len(error.errors) > 50:
            click.echo(f"{file}: ... and {len(error.errors) - 50} more", err=True)
        _fail(f"{len(error.errors)} problem(s); nothing was imported")
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"accepted: {recorded.accepted}")
    click.echo(f"duplicates: {recorded.duplicates}")
    click.echo(f"violations: {recorded.violations}")


@calls_group.command("recheck")
@click.option("--from", "start", required=True,
              help="A local day (YYYY-MM-DD) or an RFC 3339 instant.")
@click.option("--to", "end", required=True,
              help="A local day (included) or an instant (excluded).")
def calls_recheck(start, end):
    """Judge the calls answered in a period again (after certifications were imported late,
    or a directory fix); changed verdicts send no webhook."""
    try:
        when = period(start, end)
    except ServiceError as error:
        _fail(error.message)
    checked, changed = recheck(when.start, when.end)
    click.echo(f"calls: {checked}")
    click.echo(f"verdicts changed: {changed}")
