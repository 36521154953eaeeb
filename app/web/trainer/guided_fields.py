"""The guided editor's fields: read them from a request, the choices its pickers offer, and
the templates a trainer can start from (in the trainer's language)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.datastructures import MultiDict

from app.core.i18n import current_locale
from app.domain.bulletin.form import (
    FACT_PARTS,
    LIST_FIELDS,
    TEXT_FIELDS,
    BulletinForm,
    FactRow,
    rows_moved,
)
from app.domain.bulletin.types import FACT_TYPES
from app.queries import listings

MAX_ROWS = 200
_ROW_NAME = re.compile(r"^fact-(\d{1,3})-([a-z]+)$")
_ROW_ACTION = re.compile(r"^(up|down|remove)-(\d{1,3})$")
FIELD_NAMES = {"slug": "id"}  # form field -> request name (``id`` is the front matter's)


def form_from_request(values: MultiDict) -> BulletinForm:
    """Everything the trainer typed, as a :class:`BulletinForm` (nothing checked here)."""
    form = BulletinForm(**{name: values.get(FIELD_NAMES.get(name, name), "")
                           for name in TEXT_FIELDS},
                        **{name: [v for v in values.getlist(name) if v.strip()]
                           for name in LIST_FIELDS},
                        critical_order=values.getlist("critical_order"))
    rows: dict[int, dict[str, str]] = {}
    for key in values:
        match = _ROW_NAME.match(key)
        if match and match.group(2) in FACT_PARTS and int(match.group(1)) < MAX_ROWS:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = values.get(key, "")
    form.facts = [FactRow(**{part: parts.get(part, "") for part in FACT_PARTS if part not in (
                      "critical", "type")}, type=parts.get("type", "") or "text",
                          critical=bool(parts.get("critical")))
                  for _, parts in sorted(rows.items())]
    return form


def apply_row_action(form: BulletinForm, action: str | None) -> bool:
    """Add, move or remove a fact row as the no-script buttons ask; whether one did."""
    if action == "add_fact":
        form.facts.append(FactRow())
        return True
    match = _ROW_ACTION.match(action or "")
    if not match:
        return False
    index = int(match.group(2))
    if match.group(1) == "remove":
        form.facts = [row for n, row in enumerate(form.facts) if n != index] or [FactRow()]
    else:
        form.facts = rows_moved(form.facts, index, -1 if match.group(1) == "up" else 1)
    return True


@dataclass(frozen=True)
class Choice:
    """One choice of a picker: the code written in the file and what the trainer reads."""

    value: str
    label: str


def _named(rows, chosen: list[str]) -> list[Choice]:
    locale = current_locale()
    found = [Choice(r.code, (r.names or {}).get(locale) or r.name) for r in rows]
    known = {c.value for c in found}
    return found + [Choice(code, code) for code in chosen if code not in known]


def choices(form: BulletinForm) -> dict:
    """What the pickers offer: existing call types, teams and bulletins (and whatever the
    form already names, so that nothing typed disappears), languages, fact types."""
    latest = listings.bulletin_titles()
    bulletins = [Choice(slug, title) for slug, title in sorted(latest.items())
                 if slug != form.slug]
    bulletins += [Choice(s, s) for s in form.supersedes if s not in latest]
    langs = [Choice("en", _("English (en)")), Choice("ko", _("Korean (ko)"))]
    if form.lang and form.lang not in ("en", "ko"):
        langs.append(Choice(form.lang, form.lang))
    return {"skills": _named(listings.skills(), form.skills),
            "teams": _named(listings.teams(), form.teams),
            "bulletins": bulletins, "langs": langs, "fact_types": FACT_TYPES,
            "zone": current_app.config["ONEVOICE_TIMEZONE"]}


def all_slugs() -> set[str]:
    """The id of every bulletin (a copy must take another)."""
    return listings.bulletin_slugs()


# --- templates ---------------------------------------------------------------------------

TEMPLATES = {
    "rule": lazy_gettext("A rule changes (the new answer replaces an old one)"),
    "price": lazy_gettext("A price or fee changes"),
    "launch": lazy_gettext("A new product or service"),
}


def _rule() -> BulletinForm:
    return BulletinForm(
        title=_("What changes, for whom, from when"),
        body=_("From the effective date, ==the new rule== replaces the old one. Say what "
               "agents tell customers now, and why it changed."),
        facts=[FactRow("f-rule", _("What agents tell customers"), value=_("the new answer"),
                       was=_("the old answer"), critical=True),
               FactRow("f-date", _("Effective date"), type="date", value=""),
               FactRow("f-who", _("Customers concerned"), value=_("every customer"))])


def _price() -> BulletinForm:
    return BulletinForm(
        title=_("The fee changes"),
        body=_("From the effective date, the ==fee== is the new amount. Customers on older "
               "contracts keep the old amount until they renew."),
        facts=[FactRow("f-fee", _("The fee"), type="money", value=_("5,000 won"),
                       was=_("3,000 won"), nots=_("4,000 won; 6,000 won"), critical=True),
               FactRow("f-date", _("Effective date"), type="date", value=""),
               FactRow("f-plans", _("Plans concerned"), value=_("every plan"))])


def _launch() -> BulletinForm:
    return BulletinForm(
        title=_("A new service is available"),
        body=_("From the effective date, customers can order ==the new service==. Say who can "
               "order it, what it costs and how to order."),
        facts=[FactRow("f-who", _("Who can order it"), value=_("every customer")),
               FactRow("f-price", _("Monthly price"), type="money", value=_("10,000 won")),
               FactRow("f-order", _("How customers order it"), value=_("by phone"),
                       ask=_("How do customers order the new service?"))])


_BUILDERS = {"rule": _rule, "price": _price, "launch": _launch}


def from_template(name: str) -> BulletinForm | None:
    """A new bulletin from template ``name``, in the trainer's language (no id, no date)."""
    builder = _BUILDERS.get(name)
    if builder is None:
        return None
    form = builder()
    form.lang = current_locale()
    return form
