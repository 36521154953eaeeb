"""What the sign-in page says when single sign-on or password sign-in is refused
(app/web/auth: the provider's problems before it vouched for anyone, and password sign-in
turned off; app/domain/sso.py and app/services/accounts/sso.py: the claims of someone it
vouched for). The codes are also the outcomes of the ``sso_events`` audit trail
(docs/sso.md)."""

from app.domain.refusals._mark import N_

SIGN_IN: dict[str, str] = {
    "password_login_off": N_("Password sign-in is turned off here: use single sign-on."),
    # the flow failed before the provider vouched for anyone (app/web/auth/sso.py)
    "provider_unreachable": N_("The sign-in service could not be reached. Try again in a few "
                               "minutes."),
    "provider_mismatch": N_("Single sign-on is misconfigured: the identity provider is not "
                            "the one this site is set up for. Tell an administrator."),
    "invalid_response": N_("The answer from the sign-in service could not be verified. Start "
                           "again from this page."),
    "cancelled": N_("Sign-in was cancelled at the sign-in service."),
    # the provider vouched for someone the claims do not let in (app/domain/sso.py)
    "email_missing": N_("The sign-in service gave no email address for you."),
    "email_unverified": N_("The sign-in service has not verified your email address."),
    "domain_not_allowed": N_("Email addresses at %(domain)s may not sign in here."),
    "unknown_user": N_("There is no OneVoice account for %(email)s. Ask an administrator to "
                       "add you."),
    "deactivated": N_("Your OneVoice account is deactivated. Ask an administrator."),
    "service_account": N_("A service account cannot sign in here."),
    "no_role": N_("The sign-in service gives you no OneVoice role. Ask an administrator."),
    "role_needs_admin": N_("The sign-in service gives you the role %(role)s, which differs "
                           "from your OneVoice role: an administrator must change it here."),
    "sso_unknown_team": N_("The sign-in service puts you in the team %(team)s, which OneVoice "
                           "does not have. Ask an administrator."),
    "agent_teams": N_("The sign-in service puts you in several teams (%(teams)s), but an agent "
                      "belongs to one. Ask an administrator."),
}
