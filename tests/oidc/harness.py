"""A real OpenID provider for the tests (tests/oidc/provider.mjs, oidc-provider from npm) and a
browser-like walk through its sign-in and consent pages with ``requests``.

Without ``node`` or ``npm ci``'s oidc-provider the single sign-on tests are skipped locally
and fail in CI (``CI=true``), where a missing provider is a broken environment, not a pass.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
MODULE = ROOT / "node_modules" / "oidc-provider" / "package.json"
SECRET = "onevoice-test-secret"
CALLBACK = "/login/sso/callback"


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"single sign-on tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Provider:
    """The running provider: its issuer URL and the app settings that point at it."""

    issuer: str
    process: subprocess.Popen
    errors: object  # the file its stderr goes to

    def settings(self, **overrides) -> dict:
        """OIDC_* settings for the app: the ``onevoice`` client, the test scopes."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": "onevoice",
                "OIDC_CLIENT_SECRET": SECRET, "OIDC_SCOPES": "openid email profile onevoice",
                "OIDC_BUTTON_LABEL": "Example ID", **overrides}


def start_provider(app_base: str) -> Provider:
    """Start provider.mjs on a free loopback port, its client redirecting to ``app_base``."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed (apt-get install nodejs)")
    if not MODULE.exists():
        _unavailable("oidc-provider is not installed (npm ci)")
    port = _free_port()
    env = {**os.environ, "OIDC_TEST_REDIRECT_URI": app_base + CALLBACK,
           "OIDC_TEST_CLIENT_SECRET": SECRET}
    # stderr to a file (a pipe nobody reads could fill and block it); closed by stop_provider
    errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
    process = subprocess.Popen([node, str(SCRIPT), str(port)], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=errors)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=20)
    if not line or not line[0].startswith("ready "):
        process.kill()
        process.wait(timeout=5)
        errors.seek(0)
        output = errors.read()[-2000:]
        errors.close()
        raise RuntimeError(f"the OpenID provider did not start: {line} {output}")
    return Provider(issuer=line[0].split()[1], process=process, errors=errors)


def stop_provider(provider: Provider) -> None:
    """Stop the provider process (and read its pipes so it can exit)."""
    if provider.process.poll() is None:
        provider.process.terminate()
        try:
            provider.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            provider.process.kill()
            provider.process.communicate(timeout=5)
    provider.errors.close()


def query(url: str) -> dict[str, str]:
    """A URL's query parameters (single values)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **changes) -> str:
    """``url`` with query parameters replaced (``None`` removes one)."""
    params = {**query(url), **changes}
    parts = urlsplit(url)
    kept = {k: v for k, v in params.items() if v is not None}
    return urlunsplit(parts._replace(query=urlencode(kept)))


def start(http, app_base: str) -> str:
    """Press "Sign in with ..." on the app; the authorization request URL it redirects to."""
    response = http.post(app_base + "/login/sso", allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def authorize(http, url: str, login: str, app_base: str) -> str:
    """Walk the provider's sign-in and consent pages as ``login``; returns the callback URL
    the provider sends the browser back to (not followed)."""
    for _ in range(12):
        response = http.get(url, allow_redirects=False)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(app_base + CALLBACK):
                return url
            continue
        assert response.status_code == 200, response.text[:500]
        action = re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1)
        prompt = re.search(r'name="prompt" value="(\w+)"', response.text).group(1)
        data = {"prompt": prompt, "login": login, "password": "any"} if prompt == "login" \
            else {"prompt": prompt}
        posted = http.post(urljoin(url, action), data=data, allow_redirects=False)
        assert posted.is_redirect, posted.text[:500]
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider never redirected back to the app")
