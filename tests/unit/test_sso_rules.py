"""Single sign-on rules (app/domain/sso.py): settings, verified e-mail, role and team mapping."""

from __future__ import annotations

import pytest

from app.domain.refusals import Problem, english
from app.domain.sso import (
    Account,
    SettingError,
    SignInRefused,
    SsoSettings,
    Update,
    check_sign_in,
    claimed_teams,
    mapped_role,
    parse_settings,
    plan_update,
    verified_email,
)

BASE = {"OIDC_ISSUER": "https://id.example.com", "OIDC_CLIENT_ID": "onevoice",
        "OIDC_CLIENT_SECRET": "s3cret"}
MAP = {"cc-agents": "agent", "staff": "trainer", "cc-managers": "manager", "it-admins": "admin"}
SETTINGS = SsoSettings(issuer="https://id.example.com", client_id="onevoice",
                       client_secret="s", role_claim="groups", role_map=MAP, team_claim="team",
                       allowed_domains=frozenset({"example.com"}))


def test_no_issuer_means_single_sign_on_is_off():
    assert parse_settings({}) is None
    assert parse_settings({"OIDC_ISSUER": "  ", "OIDC_CLIENT_ID": "x"}) is None


def test_full_settings_are_parsed():
    settings = parse_settings({
        **BASE, "OIDC_SCOPES": "openid,email  profile", "OIDC_ROLE_CLAIM": "groups",
        "OIDC_ROLE_MAP": '{"cc-agents": "agent"}', "OIDC_TEAM_CLAIM": "team",
        "OIDC_ALLOWED_DOMAINS": "Example.com, @corp.example", "OIDC_BUTTON_LABEL": "Okta",
        "OIDC_CLOCK_SKEW_SECONDS": "0", "OIDC_TIMEOUT_SECONDS": 5})
    assert settings == SsoSettings(
        issuer="https://id.example.com", client_id="onevoice", client_secret="s3cret",
        scopes="openid email profile", role_claim="groups", role_map={"cc-agents": "agent"},
        team_claim="team", allowed_domains=frozenset({"example.com", "corp.example"}),
        label="Okta", clock_skew_seconds=0, timeout_seconds=5)


def test_issuer_is_kept_exactly_as_configured():
    """The ID token's ``iss`` must equal it: a trailing slash is part of some issuers."""
    assert parse_settings({**BASE, "OIDC_ISSUER": "https://tenant.example/"}).issuer == \
        "https://tenant.example/"


@pytest.mark.parametrize("changes, named", [
    ({"OIDC_ISSUER": "id.example.com"}, "OIDC_ISSUER"),
    ({"OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET"),
    ({"OIDC_SCOPES": "email profile"}, "must include openid"),
    ({"OIDC_ROLE_CLAIM": "groups"}, "OIDC_ROLE_MAP go together"),
    ({"OIDC_ROLE_MAP": '{"a": "agent"}'}, "OIDC_ROLE_MAP go together"),
    ({"OIDC_ROLE_CLAIM": "g", "OIDC_ROLE_MAP": "{not json"}, "OIDC_ROLE_MAP is not JSON"),
    ({"OIDC_ROLE_CLAIM": "g", "OIDC_ROLE_MAP": '["agent"]'}, "must be a JSON object"),
    ({"OIDC_ROLE_CLAIM": "g", "OIDC_ROLE_MAP": '{"svc": "integration"}'}, "'integration'"),
    ({"OIDC_ALLOWED_DOMAINS": "example.com, localhost"}, "'localhost'"),
    ({"OIDC_CLOCK_SKEW_SECONDS": "a minute"}, "OIDC_CLOCK_SKEW_SECONDS"),
    ({"OIDC_CLOCK_SKEW_SECONDS": "3600"}, "between 0 and 300"),
    ({"OIDC_TIMEOUT_SECONDS": "0"}, "OIDC_TIMEOUT_SECONDS=0"),
])
def test_wrong_settings_are_named(changes, named):
    with pytest.raises(SettingError, match=named):
        parse_settings({**BASE, **changes})


def test_password_login_off_needs_single_sign_on():
    with pytest.raises(SettingError, match="PASSWORD_LOGIN=false needs single sign-on"):
        check_sign_in({"PASSWORD_LOGIN": False})
    assert check_sign_in({"PASSWORD_LOGIN": True}) is None
    assert check_sign_in({**BASE, "PASSWORD_LOGIN": False}).client_id == "onevoice"


@pytest.mark.parametrize("claims, expected", [
    ({"email": "Ann@Example.COM ", "email_verified": True}, "ann@example.com"),
    ({"email": "ann@example.com", "email_verified": False}, SignInRefused("email_unverified")),
    ({"email": "ann@example.com", "email_verified": "true"}, SignInRefused("email_unverified")),
    ({"email": "ann@example.com"}, SignInRefused("email_unverified")),
    ({"email_verified": True}, SignInRefused("email_missing")),
    ({"email": "not-an-address", "email_verified": True}, SignInRefused("email_missing")),
    ({"email": "ann@example.org", "email_verified": True}, SignInRefused("domain_not_allowed")),
    ({"email": "ann@sub.example.com", "email_verified": True}, SignInRefused("domain_not_allowed")),
])
def test_verified_email(claims, expected):
    if isinstance(expected, SignInRefused):
        with pytest.raises(SignInRefused) as refused:
            verified_email(claims, SETTINGS)
        assert refused.value.code == expected.code
    else:
        assert verified_email(claims, SETTINGS) == expected


def test_any_domain_when_none_is_configured():
    settings = SsoSettings(issuer="https://i", client_id="c", client_secret="s")
    assert verified_email({"email": "a@any.example", "email_verified": True}, settings)


@pytest.mark.parametrize("groups, role", [
    ("cc-agents", "agent"),
    (["staff"], "trainer"),
    (["cc-agents", "cc-managers", "unmapped"], "manager"),  # the strongest mapped value
    (["staff", "it-admins"], "admin"),
    (["unmapped"], None),
    ([], None),
    (None, None),
])
def test_mapped_role(groups, role):
    claims = {"groups": groups} if groups is not None else {}
    if role is None:
        with pytest.raises(SignInRefused, match="no_role"):
            mapped_role(claims, SETTINGS)
    else:
        assert mapped_role(claims, SETTINGS) == role


def test_no_role_mapping_configured_leaves_roles_alone():
    settings = SsoSettings(issuer="https://i", client_id="c", client_secret="s")
    assert mapped_role({"groups": ["it-admins"]}, settings) is None
    assert claimed_teams({"team": "x"}, settings) is None


@pytest.mark.parametrize("claim, teams", [
    ("wired_care", ["wired_care"]),
    (["b", "a", "b"], ["a", "b"]),
    ([], []),
    (None, []),
    ("", []),
])
def test_claimed_teams(claim, teams):
    assert claimed_teams({"team": claim}, SETTINGS) == teams


AGENT = Account(role="agent", active=True, team="wibro_care", managed=())
TRAINER = Account(role="trainer", active=True, team=None, managed=())
MANAGER = Account(role="manager", active=True, team=None, managed=("a", "b"))
KNOWN = frozenset({"a", "b", "c", "wibro_care", "wired_care"})


@pytest.mark.parametrize("account, role, teams, expected", [
    (AGENT, None, None, Update()),
    (AGENT, "agent", ["wibro_care"], Update()),
    (AGENT, "agent", ["wired_care"], Update(team="wired_care")),
    (AGENT, None, [], Update()),  # an empty team claim changes nothing
    (TRAINER, "manager", ["a"], Update(role="manager", managed=("a",))),
    (TRAINER, "admin", ["a"], Update(role="admin")),  # teams mean nothing to an admin
    (MANAGER, "manager", ["a", "b"], Update()),
    (MANAGER, "manager", ["c"], Update(managed=("c",))),
    (MANAGER, "trainer", None, Update(role="trainer", managed=())),
    (MANAGER, None, [], Update()),
])
def test_plan_update(account, role, teams, expected):
    assert plan_update(account, role, teams, KNOWN) == expected


@pytest.mark.parametrize("account, role, teams, code", [
    (Account("agent", False, "a", ()), "agent", None, "deactivated"),
    (Account("integration", True, None, ()), None, None, "service_account"),
    (AGENT, "trainer", None, "role_needs_admin"),
    (TRAINER, "agent", ["a"], "role_needs_admin"),
    (AGENT, "agent", ["nowhere"], "sso_unknown_team"),
    (AGENT, None, ["a", "b"], "agent_teams"),
])
def test_plan_update_refusals(account, role, teams, code):
    with pytest.raises(SignInRefused) as refused:
        plan_update(account, role, teams, KNOWN)
    assert refused.value.code == code


def test_refusals_are_worded_by_the_catalogue_with_the_role_as_a_phrase():
    with pytest.raises(SignInRefused) as refused:
        plan_update(TRAINER, "agent", None, KNOWN)
    assert refused.value.params == {"role": Problem.of("role_agent")}
    assert english(refused.value.code, refused.value.params) == (
        "The sign-in service gives you the role agent, which differs from your OneVoice "
        "role: an administrator must change it here.")
    with pytest.raises(SignInRefused) as refused:
        plan_update(AGENT, None, ["b", "a"], KNOWN)
    assert english(refused.value.code, refused.value.params) == (
        "The sign-in service puts you in several teams (b, a), but an agent belongs to one. "
        "Ask an administrator.")


def test_changes_for_the_audit_trail():
    update = Update(role="manager", managed=("a",))
    assert update.changes(TRAINER) == {"role": ["trainer", "manager"],
                                       "managed_teams": [[], ["a"]]}
    assert Update().changes(AGENT) == {}
