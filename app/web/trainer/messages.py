"""The messages a trainer reads on the pages, from the bulletin parser and the services, in the
reader's language (see app/web/page_messages.py). Services and the parser keep answering in
English (the API, the CLI); each pattern below names one of their messages."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext

from app.errors import ServiceError
from app.web.page_messages import message_table, translate

_ = lazy_gettext

PARSER = message_table(
    # the Facts section (app/domain/bulletin/facts_section.py); before the generic "name: ..." rows
    _("missing Facts section: add a '## Facts' heading followed by fact lines"),
    _("duplicate Facts section (first on line %(line)s)"),
    _("the Facts section has no facts"),
    _("malformed fact line (expected %(form)s)"),
    _("line is not a fact (expected %(form)s)"),
    _("unknown fact attribute '%(token)s'"),
    _("fact needs exactly one id: {#f-name ...}"),
    (_("fact id '%(key)s' is not valid (%(allowed)s)"), ("allowed",)),
    _("duplicate fact id '%(key)s' (first on line %(line)s)"),
    _("fact '%(key)s' has no value"),
    _("fact '%(key)s': more than one type"),
    _("fact '%(key)s': unknown type '%(kind)s' (%(known)s or enum:<list>)"),
    _("fact '%(key)s': more than one (was: ...)"),
    _("fact '%(key)s': (was: ...) is empty"),
    _("fact '%(key)s': (not: ...) is empty"),
    _("fact '%(key)s': was: '%(old)s' is the same as the value"),
    _("fact '%(key)s': not: '%(value)s' is the value itself"),
    (_("fact '%(key)s': value '%(text)s' %(problem)s"), ("problem",)),
    (_("fact '%(key)s': was: '%(text)s' %(problem)s"), ("problem",)),
    (_("fact '%(key)s': not: '%(text)s' %(problem)s"), ("problem",)),
    _("is not a bool (yes/no, true/false, 예/아니오)"),
    _("is not a valid date (YYYY-MM-DD)"),
    _("has no number (%(kind)s)"),
    # the front matter (app/domain/bulletin/front_matter.py)
    _("missing front matter: the file must start with a '---' line"),
    _("front matter is not closed: no '---' line after line 1"),
    _("front matter must be 'field: value' lines"),
    _("front matter: %(problem)s"),
    _("unknown field '%(key)s'"),
    _("duplicate field '%(key)s' (first on line %(line)s)"),
    _("missing required field '%(name)s'"),
    _("skills: at least one skill is required"),
    _("supersedes: a bulletin cannot supersede itself ('%(slug)s')"),
    _("critical: no fact '%(key)s' in the Facts section"),
    _("unknown skill '%(code)s': choose one of %(choices)s"),
    _("unknown team '%(code)s': choose one of %(choices)s"),
    _("unknown skill '%(code)s'"),
    _("unknown team '%(code)s'"),
    _("%(name)s: a value is required"),
    _("%(name)s: must not be empty"),
    (_("%(name)s: expected %(expected)s"), ("expected",)),
    (_("%(name)s: '%(raw)s' is not a valid %(noun)s (%(allowed)s)"), ("noun", "allowed")),
    _("%(name)s: '%(raw)s' is not a language tag (e.g. en, ko, en-GB)"),
    _("%(name)s: '%(raw)s' is not a valid date (YYYY-MM-DD)"),
    _("%(name)s: '%(raw)s' is not one of %(options)s"),
    (_("%(name)s: '%(raw)s' is not %(wanted)s"), ("wanted",)),
    # what a field expects and what a code may hold (nested in the rows above)
    _("a slug"), _("text"), _("a language tag (e.g. en, ko, en-GB)"), _("a date (YYYY-MM-DD)"),
    _("one of %(options)s"), _("a whole number from 1 to %(upper)s"),
    _("a positive whole number"), _("a list of codes"), _("a list of fact ids"),
    _("a list of slugs"), _("code"), _("fact id"), _("slug"),
    _("lower-case letters, digits and '_', starting with a letter"),
    _("lower-case letters, digits and '-'"),
    _("lower-case letters, digits, '-' and '_'"),
    # one change, two languages (app/domain/_front_matter.py)
    _("translation_of: a bulletin cannot be a translation of itself ('%(slug)s')"),
)

SERVICES = message_table(
    _("no bulletin '%(slug)s'"),
    _("no published version '%(slug)s'"),
    _("no item '%(key)s' in '%(slug)s'"),
    _("no export format '%(fmt)s' (gift or xml)"),
    _("item '%(key)s' names fact '%(fact)s', which this bulletin does not have"),
    _("change must be 'material' or 'minor', not %(value)s"),
    (_("version %(n)s of '%(slug)s' is already %(status)s"), ("status",)),
    _("published"),
    _("approve at least one item before publishing: agents are only served approved items"),
    _("critical facts without an approved item: %(facts)s"),
    _("the items of a published version can only be retired or approved; edit the bulletin to "
      "make a new draft version"),
    _("status must be one of %(options)s"),
    _("kind must be one of %(options)s"),
    _("unknown field '%(name)s'; editable: %(fields)s"),
    _("'%(name)s' must be a non-empty string"),
    (r"'options' must be an array of at least 2 options", _("write at least 2 options")),
    (r"'options' is required: at least 2, exactly one correct",
     _("write at least 2 options and mark exactly one as correct")),
    (r"options\[(?P<n>\d+)\]\.text is required", _("option %(n)s needs a text")),
    (r"exactly one option must be correct",
     _("exactly one option must be correct: mark an option that has a text")),
    _("'fact' must name one of this bulletin's facts: %(keys)s"),
    _("items can only be added to a draft version; edit the bulletin first"),
    _("only a draft version's items can be regenerated"),
    _("'%(slug)s' has no version %(n)s"),
    _("'%(name)s' must be a version number, not %(raw)s"),
    _("'%(name)s' must be a version number of 1 or more, not %(raw)s"),
    _("'%(slug)s' version 1 has no earlier version to compare with; choose 'from' and 'to'"),
    _("attempts must be 'first' or 'all', not '%(value)s'"),
    (_("%(what)s %(key)s: %(n)s item(s) of %(kinds)s kind(s); needs at least %(needed)s items "
       "of %(min)s different kinds"), ("what",)),
    _("alpha needs at least two facts asked in the analysed attempts"),
    _("alpha needs fact %(key)s asked in at least two attempts"),
    _("alpha is undefined: every attempt had the same total score"),
    _("only attempts by agents of your teams (%(teams)s) are counted"),
    _("critical fact"),
    _("fact"),
    # generation advice (app/domain/generation/advice.py)
    _("fact %(key)s: no choice item: fewer than 2 wrong options of the value's kind are known;"
      " add not: values"),
    _("fact %(key)s: the was: value and the value differ much in length, so the length gives"
      " the answer away; shorten the longer one"),
    _("fact %(key)s: the label could not be phrased as a statement; write the question with"
      " ask=\"...\""),
    _("fact %(key)s: the was: value is part of the new value, so it is still true and is not"
      " offered as a wrong answer"),
    # ids, versions and drafts (app/services/content/drafts.py)
    (_("'%(slug)s' has no draft to discard: version %(n)s is %(status)s, and published "
       "versions are never deleted"), ("status",)),
    _("retired"),
    _("'%(slug)s' changed since your copy was loaded (now version %(n)s, revision %(r)s, last "
      "edited by %(who)s at %(when)s): nothing was saved"),
    _("version %(n)s of '%(slug)s' is its first published version: there are no "
      "certifications to carry over, so it cannot be a minor change (publish it without "
      "'change')"),
    _("a bulletin with id '%(slug)s' already exists ('%(title)s', version %(n)s): give the new "
      "bulletin another id, or create a new version of '%(title2)s'"),
    _("the source's id '%(source)s' is not this bulletin's id '%(slug)s': a new version keeps "
      "the id (to start another bulletin, create it under its own id)"),
    # the review board (app/services/review_board.py)
    _("status filter '%(value)s' is not one of %(options)s"),
    _("no fact '%(key)s' in '%(slug)s'"),
    _("select at least one item to approve"),
    _("no item %(keys)s in '%(slug)s': nothing was approved"),
    _("critical fact has no item to draw: %(facts)s"),
    _("item '%(key)s' was changed by someone else after you opened it: nothing was saved"),
    # one change, two languages (app/domain/translations.py, app/services/translations.py):
    # a refusal lists every disagreement, joined by "; " (split first, each translated)
    (r"(?P<first>[^;]+); (?P<rest>.+)", _("%(first)s; %(rest)s"), ("first", "rest")),
    _("translation_of: '%(slug)s' has no published version; publish the original first"),
    _("translation_of: '%(slug)s' is itself a translation (of '%(original)s'): name the "
      "original"),
    (_("a minor version must still agree with the translation '%(slug)s': %(problems)s"),
     ("problems",)),
    _("%(name)s: a translation must agree with '%(slug)s' (there %(there)s, here %(here)s)"),
    _("lang: a translation must be in another language than '%(slug)s' (both '%(lang)s')"),
    _("fact '%(key)s' of '%(slug)s' has no translation"),
    _("fact '%(key)s' is not a fact of '%(slug)s'"),
    _("fact '%(key)s': type=%(here)s here, type=%(there)s in '%(slug)s'"),
    (_("fact '%(key)s' is %(state)s in '%(slug)s'"), ("state",)),
    _("critical"), _("not critical"),
    _("fact '%(key)s': %(role)s '%(here)s' does not match '%(there)s' in '%(slug)s' "
      "(%(kind)s values must be equal)"),
)


def problem_text(error) -> str:
    """A parser problem (``file:line: message``) with its message in the reader's language."""
    return f"{error.file}:{error.line}: {translate(error.message, PARSER)}"


def service_text(message: str) -> str:
    """A service's refusal or note (publish, review, versions) in the reader's language."""
    return translate(message, SERVICES)


def refused(error: ServiceError):
    """A refused trainer action: say why, translated, on the page the trainer came from."""
    flash(service_text(error.message), "error")
    return redirect(request.referrer or url_for("trainer.home"))
