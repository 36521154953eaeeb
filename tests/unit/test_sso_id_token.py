"""The ID token checks the app asks of Authlib (app/web/auth/sso.py ``id_token_options``), run
through Authlib's own claims validation on tokens signed here with a fresh key."""

from __future__ import annotations

import pytest
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, MissingClaimError
from joserfc.jwk import RSAKey

from app.domain.sso import SsoSettings
from app.web.auth.sso import id_token_options

SETTINGS = SsoSettings(issuer="https://id.example.com", client_id="onevoice",
                       client_secret="s")
KEY = RSAKey.generate_key(2048)
NOW = 1_796_400_000  # a frozen clock: validation runs at this instant
GOOD = {"iss": "https://id.example.com", "sub": "ann", "aud": "onevoice", "iat": NOW,
        "exp": NOW + 300, "nonce": "n-1"}


def _validate(claims: dict, leeway: int = 0) -> None:
    text = jwt.encode({"alg": "RS256"}, claims, KEY)
    token = jwt.decode(text, KEY)
    checked = CodeIDToken(token.claims, token.header, id_token_options(SETTINGS),
                          {"nonce": "n-1", "client_id": "onevoice"})
    checked.validate(now=NOW, leeway=leeway)


def test_a_good_token_passes():
    _validate(GOOD)
    _validate({**GOOD, "aud": ["onevoice", "another-api"], "azp": "onevoice"})


@pytest.mark.parametrize("changes, error", [
    ({"iss": "https://id.example.com/"}, InvalidClaimError),  # exactly the issuer
    ({"iss": "https://evil.example"}, InvalidClaimError),
    ({"aud": "another-client"}, InvalidClaimError),
    ({"aud": ["another-client"], "azp": "onevoice"}, InvalidClaimError),
    ({"exp": NOW - 5}, ExpiredTokenError),
    ({"nonce": "n-2"}, InvalidClaimError),
    ({"azp": "another-client"}, InvalidClaimError),
])
def test_a_wrong_token_is_refused(changes, error):
    with pytest.raises(error):
        _validate({**GOOD, **changes})


@pytest.mark.parametrize("missing", ["iss", "aud", "exp", "sub", "iat", "nonce"])
def test_a_token_without_an_essential_claim_is_refused(missing):
    with pytest.raises(MissingClaimError):
        _validate({k: v for k, v in GOOD.items() if k != missing})


def test_clock_skew_is_the_leeway():
    _validate({**GOOD, "exp": NOW - 5}, leeway=60)
