"""The command line: ``flask --app app <group> <command>`` (product.md section 6).

The admin's commands (``directory``, ``teams``, ``skills``, ``tokens list|revoke``) are in
app/cli/directory.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Blueprint, current_app
from flask_migrate import upgrade

from app.core.database import backup_sqlite, unit_of_work
from app.domain.bulletin.types import ContentError
from app.errors import ServiceError
from app.services.accounts.accounts import create_token, create_user
from app.services.content.bulletins import latest_version
from app.services.content.content_io import export_to, import_paths
from app.services.content.quiz_files import generate_quiz_file
from app.services.content.review import export_bank, import_bank
from app.services.demo import demo_logins, load_demo
from app.worker import run_forever, run_once

bp = Blueprint("cli", __name__, cli_group=None)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@bp.cli.group("users")
def users_group():
    """Manage user accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True,
              type=click.Choice(["agent", "trainer", "manager", "admin", "integration"]))
@click.option("--team", "teams", multiple=True, help="An agent's team; a team a manager manages.")
@click.option("--skills", default="", help="Comma-separated skill codes (agents).")
@click.option("--external-id", default=None, help="The agent's id in HR/WFM and routing.")
@click.option("--password", default=None, help="Generated and printed when omitted.")
def users_create(email, name, role, teams, skills, external_id, password):
    """Create a user."""
    try:
        with unit_of_work():
            user, secret = create_user(
                email=email, name=name, role=role, teams=list(teams), password=password,
                skills=[s.strip() for s in skills.split(",") if s.strip()],
                external_id=external_id)
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"created {user.role} {user.email}")
    if password is None:
        click.echo(f"password: {secret}")


@bp.cli.group("tokens")
def tokens_group():
    """Manage API tokens."""


@tokens_group.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", default=None)
def tokens_create(email, name):
    """Create an API token; it is printed once and stored hashed."""
    try:
        with unit_of_work():
            record, token = create_token(email, name)
    except ServiceError as error:
        _fail(error.message)
    if record.user.role == "admin":
        click.echo(f"warning: this token acts as the admin {record.user.email} and can do "
                   "everything an admin can; keep it secret", err=True)
    click.echo(token)


@bp.cli.group("content")
def content_group():
    """Bulletins and quiz files as code."""


@content_group.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--draft", is_flag=True, help="Import as drafts; do not publish.")
@click.option("--new-versions", is_flag=True,
              help="Import a changed file whose bulletin id exists as a new version of that "
                   "bulletin (without it, such a file is refused).")
def content_import(paths, draft, new_versions):
    """Import bulletins (*.md) and quiz files (*.yaml); all or nothing; idempotent."""
    try:
        report = import_paths(list(paths), publish_ready=not draft, new_versions=new_versions)
    except ContentError as error:
        _fail(f"nothing was imported:\n{error}")
    except ServiceError as error:
        _fail(f"nothing was imported: {error.message}")
    for label, names in (("created", report.created), ("unchanged", report.unchanged),
                         ("published", report.published), ("left as draft", report.drafts),
                         ("advice", report.advice)):
        for name in names:
            click.echo(f"{label}: {name}")


@content_group.command("export")
@click.argument("directory")
def content_export(directory):
    """Write bulletins and quiz files out under DIRECTORY."""
    for path in export_to(directory):
        click.echo(f"wrote {path}")


@bp.cli.group("quiz")
def quiz_group():
    """Quiz items."""


@quiz_group.command("generate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default=None, help="The quiz file to write (default: stdout).")
def quiz_generate(file, output):
    """Generate items for a bulletin file, offline; keeps reviewed items of OUTPUT."""
    try:
        text = generate_quiz_file(Path(file), Path(output) if output else None)
    except ContentError as error:
        _fail(str(error))
    if output:
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


@quiz_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--bulletin", "slug", required=True, help="The draft bulletin to add items to.")
@click.option("--fact", required=True, help="The fact the imported items test.")
@click.option("--format", "fmt", type=click.Choice(["gift", "xml"]), default=None,
              help="Default: by the file's ending (.xml is Moodle XML, else GIFT).")
def quiz_import(file, slug, fact, fmt):
    """Import a Moodle GIFT or Moodle XML question bank into a draft, as draft items."""
    fmt = fmt or ("xml" if file.endswith(".xml") else "gift")
    try:
        with unit_of_work():
            added, skipped = import_bank(latest_version(slug),
                                         Path(file).read_text(encoding="utf-8"), file,
                                         fact=fact, fmt=fmt)
    except ContentError as error:
        _fail(f"nothing was imported:\n{error}")
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"imported {len(added)} item(s) as drafts")
    for line in skipped:
        click.echo(str(line), err=True)


@quiz_group.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["gift", "xml"]), default="gift")
@click.option("-o", "--output", default=None, help="Default: stdout.")
def quiz_export(slug, fmt, output):
    """Export a bulletin's items as Moodle GIFT or Moodle XML."""
    try:
        text = export_bank(latest_version(slug), fmt)
    except ServiceError as error:
        _fail(error.message)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


@bp.cli.command("demo")
def demo_command():
    """Load the demo organisation and content into an empty database (its schema is
    migrated to the newest revision first, as ``python app.py`` does)."""
    upgrade(revision="heads")
    if not load_demo():
        click.echo("the database already has users; demo not loaded")
        return
    print_demo_logins()


def print_demo_logins() -> None:
    """The demo accounts, for the console."""
    password, logins = demo_logins()
    click.echo(f"Demo logins (password for all: {password}):")
    for role, email in logins:
        click.echo(f"  {role:<8} {email}")


@bp.cli.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False))
def backup_command(dest):
    """Copy the SQLite database to DEST while the app keeps running (online backup API)."""
    try:
        backup_sqlite(Path(dest))
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"wrote {dest}")


from app.cli.reports import reports_group  # noqa: E402  (reports rebuild | refresh)

bp.cli.add_command(reports_group)

# directory, teams, skills, tokens list|revoke; users password|sign-out: on bp and its groups
from app.cli import directory as directory_commands  # noqa: E402, F401
from app.cli import security as security_commands  # noqa: E402, F401
from app.cli.calls import calls_group  # noqa: E402  (calls import | recheck)

bp.cli.add_command(calls_group)


@bp.cli.command("worker")
@click.option("--once", is_flag=True, help="Run one pass and exit.")
def worker_command(once):
    """Run the scheduler (time-driven eligibility changes) loop."""
    if once:
        click.echo(f"changes: {run_once(current_app)}")
    else:
        run_forever(current_app)
