"""The guided editor and one change in two languages: start a translation of a published
bulletin, offer the originals a translation may name, mark the words still to translate, and
show where a translation disagrees with its original (at the field or fact row concerned).

The rules are ``app/domain/translations.py`` (what must agree) and
``app/domain/bulletin/translate.py`` (the pre-filled translation); publishing checks the
same agreement again (``app/services/content/translations.py``).
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.domain.bulletin.form import BulletinForm, form_from_doc
from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.translate import ToTranslate, translation_form, untranslated
from app.errors import ServiceError
from app.models import BulletinVersion
from app.queries import listings
from app.services.content import bulletins, translations
from app.web.shared.refusals import refusal_text
from app.web.trainer.guided_fields import Choice, all_slugs


def _published(slug: str) -> BulletinVersion | None:
    try:
        return bulletins.latest_version(slug, published=True)
    except ServiceError:
        return None


def start(slug: str) -> tuple[BulletinForm | None, str]:
    """The pre-filled translation of bulletin ``slug`` (of its original when ``slug`` is
    itself a translation), and what the trainer is told; ``None`` when it is unpublished."""
    source = _published(slug)
    if source is not None and source.translation_of:
        source = _published(source.translation_of)
    if source is None:
        return None, _("Only a published bulletin can be translated: %(id)s has no published "
                       "version.", id=slug)
    model = translation_form(form_from_doc(parse_bulletin(source.source)), all_slugs())
    return model, _("A translation of “%(title)s” under the new id %(id)s: the dates, call "
                    "types, teams, pass mark and the facts' ids, types and typed values are "
                    "the original's and must stay so. Translate every field marked “to "
                    "translate”, then save.", title=source.title, id=model.slug)


def originals(model: BulletinForm) -> list[Choice]:
    """What the "Translation of" picker offers: the newest published version of every
    original (no translation itself) in another language than the form's, and the id the
    form already names."""
    found = [Choice(v.slug, f"{v.title} ({v.lang})") for v in listings.published_originals()
             if v.slug != model.slug and v.lang.casefold() != (model.lang or "").casefold()]
    if model.translation_of and model.translation_of not in {c.value for c in found}:
        found.append(Choice(model.translation_of, model.translation_of))
    return found


def to_translate(model: BulletinForm) -> ToTranslate | None:
    """For a translation: what is still word for word its published original's."""
    original = _published(model.translation_of) if model.translation_of else None
    if original is None:
        return None
    return untranslated(model, form_from_doc(parse_bulletin(original.source)))


def agreement(model: BulletinForm, doc) -> dict | None:
    """A translation's disagreements with its original, placed like the parser's problems
    (``fields``/``rows``/``general``/``lines``), in the reader's language; None if it agrees."""
    if not doc.translation_of:
        return None
    try:
        problems = translations.draft_disagreements(doc)
    except ServiceError as error:
        return {"fields": {"translation_of": [refusal_text(error)]}, "rows": {},
                "general": [], "lines": {}}
    if not problems:
        return None
    rows = {row.key: n for n, row in enumerate(model.facts) if row.key}
    placed: dict = {"fields": {}, "rows": {}, "general": [], "lines": {}}
    for problem in problems:
        text = refusal_text(problem.problem)
        if problem.fact in rows:
            placed["rows"].setdefault(rows[problem.fact], []).append(text)
        else:
            placed["fields"].setdefault(problem.field, []).append(text)
    return placed
