"""Names on the manager's pages in the reader's language: teams, call types, languages.

Teams and call types carry their names in other languages (``names``, migration 0007u;
app/services/content/labels.py); a language tag (``ko``) is shown as its name (``한국어``,
``Korean``).
"""

from babel import Locale, UnknownLocaleError
from flask import g

from app.core.i18n import current_locale
from app.services.content import labels
from app.web.manager import bp


@bp.app_template_global()
def team_name(code: str, default: str | None = None) -> str:
    """A team's name in the reader's language (looked up once per request)."""
    if "manager_team_names" not in g:
        g.manager_team_names = labels.team_names(current_locale())
    return g.manager_team_names.get(code) or default or code


@bp.app_template_global()
def skill_label(code: str, default: str | None = None) -> str:
    """A call type's name in the reader's language (looked up once per request)."""
    if "manager_skill_names" not in g:
        g.manager_skill_names = labels.skill_names(current_locale())
    return g.manager_skill_names.get(code) or default or code


@bp.app_template_global()
def language_name(tag: str, own: bool = False) -> str:
    """A language tag as the language's name in the reader's language (``ko`` → "Korean"),
    or, with ``own``, in that language itself (``ko`` → "한국어", for a language switch)."""
    try:
        locale = Locale.parse(tag.replace("-", "_"))
        name = locale.get_display_name(locale if own else current_locale())
    except (ValueError, UnknownLocaleError):
        return tag
    return name or tag
