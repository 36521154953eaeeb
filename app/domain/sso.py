"""Single sign-on rules: the OIDC_* settings, and what an identity provider's verified claims
mean for a OneVoice account (docs/sso.md). Pure: no Flask, no database.

The protocol checks (signature, issuer, audience, expiry, state, nonce, PKCE) happen before
these rules, in app/web/auth/sso.py; here the claims are already the provider's word.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.refusals import Problem

SSO_ROLES = ("agent", "trainer", "manager", "admin")
"""Roles a claim may map to, weakest first: with several mapped values the strongest wins.
``integration`` is a service account: it never signs in through the identity provider."""

DEFAULT_SCOPES = "openid email profile"


class SettingError(ValueError):
    """An OIDC_* setting is wrong; the message names it."""


class SignInRefused(Exception):
    """The claims do not let this person in: ``code``, a sign-in refusal of the catalogue
    (app/domain/refusals/sign_in.py, docs/sso.md), and its ``params``."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class SsoSettings:
    """Single sign-on as configured; ``None`` from :func:`parse_settings` when it is off."""

    issuer: str
    client_id: str
    client_secret: str
    scopes: str = DEFAULT_SCOPES
    role_claim: str | None = None
    role_map: Mapping[str, str] = field(default_factory=dict)
    team_claim: str | None = None
    allowed_domains: frozenset[str] = frozenset()
    label: str = ""
    clock_skew_seconds: int = 60
    timeout_seconds: int = 10


def _text(config: Mapping, name: str) -> str:
    value = config.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SettingError(f"setting {name} must be text, not {type(value).__name__}")
    return value.strip()


def _role_map(raw) -> dict[str, str]:
    """OIDC_ROLE_MAP: a mapping (instance/config.py) or a JSON object (environment)."""
    if raw in (None, ""):
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as error:
            raise SettingError(f"setting OIDC_ROLE_MAP is not JSON: {error}") from None
    if not isinstance(raw, Mapping):
        raise SettingError('setting OIDC_ROLE_MAP must be a JSON object such as '
                           '{"cc-agents": "agent", "it-admins": "admin"}')
    for value, role in raw.items():
        if role not in SSO_ROLES:
            raise SettingError(f"setting OIDC_ROLE_MAP maps {value!r} to {role!r}; a role must "
                               f"be one of {', '.join(SSO_ROLES)}")
    return {str(value): role for value, role in raw.items()}


def _domains(raw) -> frozenset[str]:
    if raw in (None, ""):
        return frozenset()
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    domains = frozenset(str(d).strip().lower().lstrip("@") for d in items if str(d).strip())
    bad = sorted(d for d in domains if "." not in d or "@" in d or " " in d)
    if bad:
        raise SettingError(f"setting OIDC_ALLOWED_DOMAINS has {bad[0]!r}, not a domain name")
    return domains


def _whole(config: Mapping, name: str, default: int, low: int, high: int) -> int:
    value = config.get(name, default)
    value = default if value in (None, "") else value
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SettingError(f"setting {name}={value!r} is not a whole number") from None
    if not low <= number <= high:
        raise SettingError(f"setting {name}={number} must be between {low} and {high}")
    return number


def parse_settings(config: Mapping) -> SsoSettings | None:
    """The single sign-on settings, ``None`` when OIDC_ISSUER is unset; a SettingError names
    the first wrong one."""
    issuer = _text(config, "OIDC_ISSUER")  # exact: the ID token's "iss" must equal it
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://")):
        raise SettingError(f"setting OIDC_ISSUER={issuer!r} must be an https:// URL")
    client_id, secret = _text(config, "OIDC_CLIENT_ID"), _text(config, "OIDC_CLIENT_SECRET")
    if not client_id or not secret:
        raise SettingError("settings OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required "
                           "with OIDC_ISSUER")
    scopes = " ".join(_text(config, "OIDC_SCOPES").replace(",", " ").split()) or DEFAULT_SCOPES
    if "openid" not in scopes.split():
        raise SettingError(f"setting OIDC_SCOPES={scopes!r} must include openid")
    role_claim, role_map = _text(config, "OIDC_ROLE_CLAIM"), _role_map(config.get("OIDC_ROLE_MAP"))
    if bool(role_claim) != bool(role_map):
        raise SettingError("settings OIDC_ROLE_CLAIM and OIDC_ROLE_MAP go together: "
                           "set both or neither")
    return SsoSettings(
        issuer=issuer, client_id=client_id, client_secret=secret, scopes=scopes,
        role_claim=role_claim or None, role_map=role_map,
        team_claim=_text(config, "OIDC_TEAM_CLAIM") or None,
        allowed_domains=_domains(config.get("OIDC_ALLOWED_DOMAINS")),
        label=_text(config, "OIDC_BUTTON_LABEL"),
        clock_skew_seconds=_whole(config, "OIDC_CLOCK_SKEW_SECONDS", 60, 0, 300),
        timeout_seconds=_whole(config, "OIDC_TIMEOUT_SECONDS", 10, 1, 120))


def check_sign_in(config: Mapping) -> SsoSettings | None:
    """The sign-in settings as a whole: :func:`parse_settings`, and PASSWORD_LOGIN off only
    with single sign-on configured (or nobody could sign in)."""
    sso = parse_settings(config)
    if sso is None and not config.get("PASSWORD_LOGIN", True):
        raise SettingError("setting PASSWORD_LOGIN=false needs single sign-on: set OIDC_ISSUER, "
                           "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or turn password sign-in on")
    return sso


def _values(claim) -> list[str]:
    """A claim that may be one value or a list, as a list of strings."""
    if claim is None:
        return []
    if isinstance(claim, (list, tuple)):
        return [str(v) for v in claim if v is not None and str(v) != ""]
    return [str(claim)] if str(claim) != "" else []


def verified_email(claims: Mapping, settings: SsoSettings) -> str:
    """The person's e-mail in lower case, only when the provider verified it and its domain
    is allowed; otherwise SignInRefused (email_missing, email_unverified, domain_not_allowed)."""
    email = str(claims.get("email") or "").strip().lower()
    if "@" not in email:
        raise SignInRefused("email_missing")
    if claims.get("email_verified") is not True:
        raise SignInRefused("email_unverified", email=email)
    domain = email.rpartition("@")[2]
    if settings.allowed_domains and domain not in settings.allowed_domains:
        raise SignInRefused("domain_not_allowed", domain=domain)
    return email


def mapped_role(claims: Mapping, settings: SsoSettings) -> str | None:
    """The OneVoice role the claims give (the strongest mapped value), ``None`` when no
    mapping is configured; SignInRefused(no_role) when none of the claim's values is mapped."""
    if not settings.role_claim:
        return None
    roles = {settings.role_map[v] for v in _values(claims.get(settings.role_claim))
             if v in settings.role_map}
    if not roles:
        raise SignInRefused("no_role")
    return max(roles, key=SSO_ROLES.index)


def claimed_teams(claims: Mapping, settings: SsoSettings) -> list[str] | None:
    """The team codes the claims give, ``None`` when no team claim is configured."""
    if not settings.team_claim:
        return None
    return sorted(set(_values(claims.get(settings.team_claim))))


@dataclass(frozen=True)
class Account:
    """What the rules need of the existing OneVoice account."""

    role: str
    active: bool
    team: str | None  # an agent's team
    managed: tuple[str, ...]  # a manager's teams


@dataclass(frozen=True)
class Update:
    """What to change on the account: ``None`` leaves a field as it is."""

    role: str | None = None
    team: str | None = None
    managed: tuple[str, ...] | None = None

    def changes(self, account: Account) -> dict[str, list]:
        """``{field: [old, new]}`` for the audit trail."""
        found = {}
        if self.role is not None:
            found["role"] = [account.role, self.role]
        if self.team is not None:
            found["team"] = [account.team, self.team]
        if self.managed is not None:
            found["managed_teams"] = [list(account.managed), list(self.managed)]
        return found


def plan_update(account: Account, role: str | None, teams: list[str] | None,
                known_teams: frozenset[str]) -> Update:
    """The changes the mapped claims make to the account, or SignInRefused.

    A deactivated account, a service account, a move into or out of the agent role (it
    takes routing eligibility with it: an administrator does that), an unknown team, or
    several teams for an agent are refused. An empty team claim changes nothing.
    """
    if not account.active:
        raise SignInRefused("deactivated")
    if account.role not in SSO_ROLES:
        raise SignInRefused("service_account")
    if role is not None and role != account.role and "agent" in (role, account.role):
        raise SignInRefused("role_needs_admin", role=Problem(f"role_{role}"))
    new_role = role if role is not None and role != account.role else None
    final = new_role or account.role
    unknown = sorted(set(teams or ()) - known_teams)
    if unknown:
        raise SignInRefused("sso_unknown_team", team=unknown[0])
    team, managed = None, None
    if teams and final == "agent":
        if len(teams) > 1:
            raise SignInRefused("agent_teams", teams=teams)
        team = teams[0] if teams[0] != account.team else None
    elif teams and final == "manager" and tuple(teams) != account.managed:
        managed = tuple(teams)
    elif final != "manager" and account.managed:
        managed = ()  # a manager no more: manages no team
    return Update(role=new_role, team=team, managed=managed)
