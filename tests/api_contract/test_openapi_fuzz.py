"""Schemathesis against the running app: every operation of /api/v1/openapi.json is called
over real HTTP with generated requests (valid and invalid), and every response must conform
to the document: no server error, a documented status, content type, headers and body.

The app runs on a real port (werkzeug in a thread) on this test's fresh migrated database
(SQLite, or PostgreSQL with TEST_DATABASE_URL) holding the org fixture's people and the
published Wi-Fi bulletin. The run is deterministic (fixed seed, derandomized), keeps no
Hypothesis example database, and is bounded: few examples per operation, and the change
feed's long-poll holds at most ONEVOICE_FEED_MAX_WAIT_SECONDS=0.2 s here (``wait`` stays
documented as 0-25; the server may answer sooner than ``wait``).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches (constants, unicode data) under ./.hypothesis, some written while
# this module is collected: keep them in a temporary folder, never in the work tree.
_HYPOTHESIS_HOME = Path(tempfile.mkdtemp(prefix="onevoice-hypothesis-"))
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)

import schemathesis  # noqa: E402  (the `test` extra installs it; missing is a failure)
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import publish_wifi, served  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
MAX_EXAMPLES = 6  # per operation in the fuzzing phase: bounded time on both engines


@pytest.fixture
def live_api(app, org):
    """The app on a real port with one published bulletin; yields the base URL."""
    app.config["ONEVOICE_FEED_MAX_WAIT_SECONDS"] = 0.2
    publish_wifi(org)
    with served(app, "api-server") as base:
        yield base


def _schema(base: str, token: str):
    config = schemathesis.Config.from_dict({
        "seed": 20261126,
        "base-url": f"{base}/api/v1",
        "headers": {"Authorization": f"Bearer {token}"},
        "request-timeout": 15,
        "cache": {"enabled": False},
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True,
                       "database": "none", "no-shrink": True},
        "phases": {"examples": {"enabled": True},
                   "coverage": {"enabled": True, "unexpected-methods": []},
                   "fuzzing": {"enabled": True}, "stateful": {"enabled": False}},
    })
    return schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", config=config)


@pytest.fixture
def admin_schema(live_api, org):
    """The document, loaded over HTTP, calling with an admin's token."""
    return _schema(live_api, org.token("admin@example.com"))


@pytest.fixture
def agent_schema(live_api, org):
    """The same, with an agent's token (the /me operations are the agent's own)."""
    return _schema(live_api, org.token("agent@example.com"))


@schemathesis.pytest.from_fixture("admin_schema").parametrize()
def test_every_operation_conforms_with_an_admin_token(case):
    case.call_and_validate(checks=CHECKS)


@schemathesis.pytest.from_fixture("agent_schema").include(path_regex="^/me/").parametrize()
def test_agent_operations_conform_with_an_agent_token(case):
    case.call_and_validate(checks=CHECKS)
