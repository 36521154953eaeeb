"""What the sign-in page says when single sign-on or password sign-in is refused."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.i18n import role_name


def _messages() -> dict[str, str]:
    return {
        "password_login_off": _("Password sign-in is turned off here: use single sign-on."),
        "provider_unreachable": _("The sign-in service could not be reached. Try again in a "
                                  "few minutes."),
        "provider_mismatch": _("Single sign-on is misconfigured: the identity provider is "
                               "not the one this site is set up for. Tell an administrator."),
        "invalid_response": _("The answer from the sign-in service could not be verified. "
                              "Start again from this page."),
        "cancelled": _("Sign-in was cancelled at the sign-in service."),
        "email_missing": _("The sign-in service gave no email address for you."),
        "email_unverified": _("The sign-in service has not verified your email address."),
        "domain_not_allowed": _("Email addresses at %(domain)s may not sign in here."),
        "unknown_user": _("There is no OneVoice account for %(email)s. Ask an administrator "
                          "to add you."),
        "deactivated": _("Your OneVoice account is deactivated. Ask an administrator."),
        "service_account": _("A service account cannot sign in here."),
        "no_role": _("The sign-in service gives you no OneVoice role. Ask an administrator."),
        "role_needs_admin": _("The sign-in service gives you the role %(role)s, which differs "
                              "from your OneVoice role: an administrator must change it here."),
        "unknown_team": _("The sign-in service puts you in the team %(team)s, which OneVoice "
                          "does not have. Ask an administrator."),
        "agent_teams": _("The sign-in service puts you in several teams (%(teams)s), but an "
                         "agent belongs to one. Ask an administrator."),
    }


def refusal_message(code: str, **params: str) -> str:
    """The translated message for a refusal ``code`` (docs/sso.md lists them)."""
    text = _messages()[code]
    if "role" in params:
        params = {**params, "role": str(role_name(params["role"]))}
    return text % params if params else text
