"""Admins: people, teams and skills, directory sync, API tokens (pages and commands)."""

from flask import Blueprint, render_template

from app.core.security import allow
from app.errors import ServiceError
from app.queries import listings
from app.services.accounts.directory import teams_and_skills
from app.web.admin.forms import CodeForm
from app.web.shared.refusals import refusal_handler

# cli_group=None: the admin's commands are top level (flask --app app teams create ...).
bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group=None)
# the reason, in the admin's language
bp.register_error_handler(ServiceError, refusal_handler("admin.home"))


@bp.get("/")
@allow("admin")
def home():
    """Everyone, with their role, team and skills; teams and skills, with forms to add them."""
    teams, skills = teams_and_skills()
    return render_template(
        "admin/home.html",
        users=listings.people(),
        teams=teams, skills=skills,
        team_form=CodeForm(prefix="team"), skill_form=CodeForm(prefix="skill"),
    )


from app.web.admin import (  # noqa: E402, F401  (routes on bp)
    directory,
    people,
    sessions,
    tokens,
)
