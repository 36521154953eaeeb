"""What the people rules and services say (app/domain/people.py, app/services/accounts/people.py,
accounts.py, invitations.py, tokens.py, directory.py)."""

from app.domain.refusals._mark import N_

PEOPLE: dict[str, str] = {
    "role_invalid": N_("role %(role)s must be one of %(roles)s"),
    "name_required": N_("the name is required"),
    "name_too_long": N_("the name is longer than 200 characters"),
    "email_invalid": N_("%(value)s is not an e-mail address"),
    "language_invalid": N_("language %(value)s must be one of %(locales)s"),
    "external_id_invalid": N_("the external id may not contain '/' or control characters (at "
                              "most 128 characters)"),
    "agent_external_id_required": N_("an agent needs an external id (the routing system's id "
                                     "for them)"),
    "agent_team_required": N_("an agent needs a team"),
    "agent_role_fixed": N_("an agent's role cannot be changed: their certifications and "
                           "eligibility history stay with the agent; deactivate the agent and "
                           "create a new account for the other role"),
    "own_admin_role": N_("you cannot take away your own admin role"),
    "last_admin": N_("this is the last active admin; make someone else admin first"),
    "own_account_deactivation": N_("you cannot deactivate your own account"),
    "password_too_short": N_("the password needs at least %(n)s characters"),
    "password_too_long": N_("the password has at most %(n)s characters"),
    "password_is_email": N_("the password may not be your e-mail address"),
    "passwords_differ": N_("the two passwords differ"),
    "invalid_link": N_("this link is not valid: it was used already, it has expired, or it "
                       "was copied incompletely; ask for a new one"),
    "no_person": N_("no person with id %(id)s"),
    "email_taken": N_("another account has the e-mail %(email)s"),
    "external_id_taken": N_("another account has the external id %(id)s"),
    "person_deactivated": N_("%(email)s is deactivated; reactivate them first"),
    "mail_not_configured": N_("mail is not configured: set MAIL_SERVER to send invitations"),
    # accounts (app/services/accounts/accounts.py: the CLI's user and token commands)
    "code_invalid": N_("%(kind)s code %(code)s must match ^[a-z][a-z0-9_]{0,63}$ (lower-case "
                       "letter, then letters, digits or _)"),
    "user_email_invalid": N_("email %(value)s is not an e-mail address"),
    "user_name_required": N_("name is required"),
    "user_email_taken": N_("a user with email %(email)s exists already"),
    "agent_one_team": N_("an agent belongs to one team"),
    "no_user_with_email": N_("no user with email %(email)s"),
    # API tokens (app/services/accounts/tokens.py)
    "expiry_in_past": N_("the expiry date %(day)s is in the past"),
    "admin_token_unconfirmed": N_("%(email)s is an admin: a token acting as them can do "
                                  "everything an admin can; tick the confirmation to issue it"),
    "no_token": N_("no API token with id %(id)s"),
    # teams and call types (app/services/accounts/directory.py)
    "team_name_required": N_("the team needs a name"),
    "skill_name_required": N_("the skill needs a name"),
    "team_name_too_long": N_("the team name is longer than 200 characters"),
    "skill_name_too_long": N_("the skill name is longer than 200 characters"),
    "team_exists": N_("team '%(code)s' exists already"),
    "skill_exists": N_("skill '%(code)s' exists already"),
    # roles, as phrases inside other refusals
    "role_agent": N_("agent"),
    "role_trainer": N_("trainer"),
    "role_manager": N_("manager"),
    "role_admin": N_("admin"),
    "role_integration": N_("integration"),
}
