"""Admins: users, teams and skills."""

from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, Skill, Team, User
from ..security import allow

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@allow("admin")
def home():
    """Everyone, with their role, team and skills; teams, skills and API tokens."""
    return render_template(
        "admin/home.html",
        users=db.session.scalars(select(User).order_by(User.role, User.email)).all(),
        teams=db.session.scalars(select(Team).order_by(Team.code)).all(),
        skills=db.session.scalars(select(Skill).order_by(Skill.code)).all(),
        tokens=db.session.scalars(select(ApiToken).order_by(ApiToken.created_at)).all(),
    )
