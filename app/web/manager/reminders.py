"""Reminders from the board: pick overdue or at-risk agents, confirm, send (two clicks)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.core.i18n import local_datetime
from app.core.security import allow
from app.domain import reminders as rules
from app.models import utcnow
from app.services.certification import reminders
from app.services.mail import mail_enabled
from app.web.manager import REMINDERS, bp


@bp.get("/reminders/new")
@allow(*REMINDERS)
def confirm_reminder():
    """What a reminder to the picked agents would send, and to whom; one button sends it."""
    picks = reminders.parse_picks(request.args.getlist("pick"))
    chosen = reminders.targets(current_user, picks, utcnow())
    return render_template("manager/remind.html", targets=chosen, mail=mail_enabled(),
                           hours=int(reminders.interval().total_seconds() // 3600),
                           ready=[t for t in chosen if t.decision.allowed])


@bp.post("/reminders")
@allow(*REMINDERS)
def send_reminder():
    """Send the reminders: inbox notices at once, then the e-mails; back to the board."""
    outcome = reminders.remind(current_user, reminders.parse_picks(request.form.getlist("pick")))
    mailed = reminders.deliver(outcome)
    _report(outcome, mailed)
    return redirect(url_for("manager.home") + "#risk-h")


def _report(outcome: reminders.Outcome, mailed: int) -> None:
    sent = len(outcome.sent)
    if sent:
        flash(ngettext("Reminder sent to %(num)d agent (inbox notice).",
                       "Reminders sent to %(num)d agents (inbox notices).", sent), "ok")
        failed = sum(1 for r in outcome.sent if r.mail == "failed")
        if mailed:
            flash(ngettext("%(num)d e-mail sent.", "%(num)d e-mails sent.", mailed), "ok")
        if failed:
            flash(ngettext("%(num)d e-mail could not be sent; its inbox notice was.",
                           "%(num)d e-mails could not be sent; their inbox notices were.",
                           failed), "error")
        if not mail_enabled():
            flash(_("E-mail is not configured: inbox notices only."), "warn")
    for target in outcome.held:
        flash(held_text(target), "warn")


def held_text(target: reminders.Target) -> str:
    """Why no reminder goes to this agent about this bulletin now."""
    decision = target.decision
    if decision.reason == rules.CERTIFIED:
        return _("Not sent to %(agent)s about “%(title)s”: already certified.",
                 agent=target.agent.name, title=target.version.title)
    return _("Not sent to %(agent)s about “%(title)s”: reminded less than %(hours)d hours "
             "ago; the next reminder is possible from %(when)s.", agent=target.agent.name,
             title=target.version.title, hours=int(reminders.interval().total_seconds() // 3600),
             when=local_datetime(decision.retry_at))
