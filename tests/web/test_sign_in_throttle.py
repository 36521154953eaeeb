"""Sign-in throttling stored in the database: a progressive delay, then a lock, per account
and per client address; the same for bad bearer tokens; audited; shared by every process.

Time moves by backdating the throttle rows (the rule itself is tested on a frozen clock in
tests/unit/test_throttle.py); the two-process test waits for real.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models.security import SecurityEvent, SignInThrottle, UserSession
from tests.conftest import PASSWORD, ROOT

WRONG = "Wrong email or password."


@pytest.fixture(autouse=True)
def _fresh_refusal_log():
    """Refusals are logged once a minute per process: each test starts with none logged."""
    from app.services.accounts import sign_in

    sign_in._REFUSALS_LOGGED.clear()
    yield
    sign_in._REFUSALS_LOGGED.clear()


@pytest.fixture
def strict(app):
    """Small numbers: 2 free failures, a 1-second delay doubling, the 4th failure locks."""
    app.config.update(ONEVOICE_SIGNIN_ACCOUNT_FREE_FAILURES=2,
                      ONEVOICE_SIGNIN_ACCOUNT_LOCK_AFTER=4, ONEVOICE_SIGNIN_LOCK_MINUTES=15)
    return app


def backdate(app, seconds: float) -> None:
    """As if ``seconds`` had passed since every failure and lock was recorded."""
    by = timedelta(seconds=seconds)
    with app.app_context(), unit_of_work():
        for row in db.session.scalars(select(SignInThrottle)):
            row.window_started_at -= by
            row.last_failure_at -= by
            if row.locked_until is not None:
                row.locked_until -= by


def attempt(client, email="agent@example.com", password="wrong password", address=None):
    environ = {"REMOTE_ADDR": address} if address else {}
    response = client.post("/login", data={"email": email, "password": password},
                           environ_base=environ)
    return response.status_code, response.get_data(as_text=True)


@contextmanager
def strict_rows(app):
    """The throttle rows as {(scope, key): failures}."""
    with app.app_context():
        yield {(r.scope, r.key): r.failures for r in db.session.scalars(select(SignInThrottle))}


def count(app, event: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SecurityEvent.id))
                                 .where(SecurityEvent.event == event))


def test_wrong_passwords_are_delayed_then_locked_and_even_the_right_one_waits(strict, org):
    app, client = strict, strict.test_client()
    for _ in range(2):
        assert attempt(client)[0] == 400
    status, page = attempt(client)  # the 2nd failure asks for 1 second
    assert status == 429 and "Try again in 1 second." in page and WRONG not in page
    backdate(app, 1)
    assert attempt(client)[0] == 400  # 3rd failure: 2 seconds now
    status, page = attempt(client, password=PASSWORD)
    assert status == 429 and re.search(r"Try again in [12] seconds?\.", page)
    backdate(app, 2)
    assert attempt(client)[0] == 400  # the 4th failure locks for 15 minutes
    status, page = attempt(client, password=PASSWORD)
    assert status == 429 and "Too many failed sign-ins. Try again after" in page
    assert client.get("/agent/").status_code == 302  # not signed in
    with app.app_context():
        assert db.session.scalar(select(func.count(UserSession.id))) == 0
    assert (count(app, "sign_in_failed"), count(app, "lock_started")) == (4, 1)
    assert count(app, "sign_in_refused") == 1  # hammering a lock is logged once a minute
    for _ in range(5):
        assert attempt(client, password=PASSWORD)[0] == 429
    assert count(app, "sign_in_refused") == 1
    backdate(app, 15 * 60)
    assert attempt(client, password=PASSWORD)[0] == 302  # the lock is over
    with app.app_context():  # a right password forgets the account's failures
        assert db.session.scalar(select(SignInThrottle.scope)) == "address"


def test_attempts_sent_in_parallel_cannot_all_slip_past_the_delay(strict, org):
    """Each attempt is counted before its password is checked, under the row's lock."""
    start, answers = threading.Barrier(10), []

    def guess(n: int) -> None:
        client = strict.test_client()
        start.wait(timeout=30)
        answers.append(attempt(client, password=f"guess {n}")[0])

    racers = [threading.Thread(target=guess, args=(n,)) for n in range(10)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
    assert sorted(answers) == [400, 400] + [429] * 8
    assert count(strict, "sign_in_failed") == 2


def test_a_right_password_gives_the_address_its_attempt_back(app, org):
    app.config.update(ONEVOICE_SIGNIN_ADDRESS_FREE_FAILURES=2)
    client = app.test_client()
    assert attempt(client, "nobody@example.com", address="10.9.9.9")[0] == 400
    for _ in range(3):  # signing in and out again and again never holds the address back
        assert attempt(client, "agent@example.com", PASSWORD, address="10.9.9.9")[0] == 302
        client.post("/logout")
    with strict_rows(app) as rows:
        assert rows[("address", "10.9.9.9")] == 1


def test_an_unknown_email_is_answered_exactly_like_a_known_one(strict, org):
    known, unknown = strict.test_client(), strict.test_client()
    for _ in range(2):
        assert attempt(known, address="10.0.0.1")[0] == attempt(
            unknown, "nobody@example.com", address="10.0.0.2")[0] == 400
    assert attempt(known, address="10.0.0.1")[0] == attempt(
        unknown, "nobody@example.com", address="10.0.0.2")[0] == 429


def test_the_lock_is_per_account(strict, org):
    client = strict.test_client()
    for _ in range(2):
        attempt(client)
    assert attempt(client)[0] == 429
    assert attempt(client, "trainer@example.com", PASSWORD)[0] == 302


def test_many_accounts_from_one_address_hold_back_that_address(app, org):
    app.config.update(ONEVOICE_SIGNIN_ADDRESS_FREE_FAILURES=3,
                      ONEVOICE_SIGNIN_ADDRESS_LOCK_AFTER=5)
    client = app.test_client()
    for n in range(3):
        assert attempt(client, f"guess{n}@example.com", address="203.0.113.7")[0] == 400
    status, page = attempt(client, "agent@example.com", PASSWORD, address="203.0.113.7")
    assert status == 429 and "Try again in 1 second." in page
    assert attempt(client, "agent@example.com", PASSWORD, address="203.0.113.8")[0] == 302
    backdate(app, 1)
    assert attempt(client, "guess3@example.com", address="203.0.113.7")[0] == 400
    backdate(app, 2)
    assert attempt(client, "guess4@example.com", address="203.0.113.7")[0] == 400  # locks
    with app.app_context():
        lock = db.session.scalar(select(SecurityEvent).where(
            SecurityEvent.event == "lock_started"))
        assert (lock.address, lock.details["scope"]) == ("203.0.113.7", "address")


def test_the_wait_is_said_in_korean(strict, org):
    client = strict.test_client()
    client.set_cookie("lang", "ko")
    for _ in range(2):
        attempt(client)
    assert "로그인 실패가 너무 많습니다. 1초 후에 다시 시도하세요." in attempt(client)[1]


# --- the API: bad bearer tokens from an address ---------------------------------------------


def test_repeated_bad_tokens_from_an_address_get_429_with_retry_after(app, org):
    app.config.update(ONEVOICE_TOKEN_ADDRESS_FREE_FAILURES=2, ONEVOICE_TOKEN_ADDRESS_LOCK_AFTER=4)
    client, good = app.test_client(), org.headers("router@example.com")
    url = "/api/v1/agents/A1/eligibility"
    bad = {"Authorization": "Bearer ov_not-a-token"}
    assert [client.get(url, headers=bad).status_code for _ in range(2)] == [401, 401]
    third = client.get(url, headers=bad)
    assert third.status_code == 429 and third.headers["Retry-After"] == "1"
    assert third.json["error"]["code"] == "too_many_bad_tokens"
    assert set(third.json["error"]) == {"code", "message", "details"}
    assert "retry_at" in third.json["error"]["details"]
    assert client.get(url, headers=good).status_code == 200  # a valid token is never held
    assert client.get(url).status_code == 401  # no token at all: not counted, not held
    other = client.get(url, headers=bad, environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert other.status_code == 401
    for wait in (1, 2):
        backdate(app, wait)
        assert client.get(url, headers=bad).status_code == 401
    locked = client.get(url, headers=bad)
    assert locked.status_code == 429 and 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert count(app, "token_lock_started") == 1


# --- two processes on one database ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SERVE = ("import sys; from werkzeug.serving import run_simple; from app import create_app; "
         "run_simple('127.0.0.1', int(sys.argv[1]), create_app(), threaded=True)")


def _start(database_url: str, instance: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "two-process-secret",
           "ONEVOICE_INSTANCE_PATH": str(instance), "ONEVOICE_PASSWORD_HASH": "fast-for-tests",
           "ONEVOICE_SIGNIN_ACCOUNT_FREE_FAILURES": "4", "ONEVOICE_SIGNIN_ACCOUNT_LOCK_AFTER": "6",
           "ONEVOICE_SIGNIN_ADDRESS_FREE_FAILURES": "100",
           "ONEVOICE_SIGNIN_ADDRESS_LOCK_AFTER": "200", "ONEVOICE_SIGNIN_DELAY_SECONDS": "3"}
    log = instance.with_suffix(".log")
    instance.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as errors:  # a file, not a pipe nobody reads (it would fill and block)
        process = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=errors)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded machine imports the app slowly
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/healthz", timeout=5)
            return process, base
        except requests.ConnectionError:
            if process.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the app did not start on {base} in 90 s: {log.read_text()[-2000:]}")


def _try(base: str, password: str) -> tuple[int, str]:
    """One sign-in in a fresh browser: its CSRF token first (CSRF is on, as in production)."""
    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = browser.post(f"{base}/login", allow_redirects=False, timeout=10, data={
        "email": "agent@example.com", "password": password, "csrf_token": token})
    return response.status_code, response.text


def test_a_brute_force_loop_across_two_processes_is_held_back_by_both(app, org, tmp_path):
    """Two app processes on one database: failures in either count for both."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    servers = []
    try:
        for name in ("one", "two"):
            servers.append(_start(url, tmp_path / name))
        bases = [base for _, base in servers]
        answers = [_try(bases[n % 2], f"guess {n}")[0] for n in range(4)]
        assert answers == [400, 400, 400, 400]  # the free failures, alternating processes
        status, page = _try(bases[0], "guess 4")  # the other process's failure counts here
        assert status == 429 and re.search(r"Try again in [123] seconds?\.", page)
        time.sleep(3.1)
        assert _try(bases[0], "guess 4")[0] == 400  # the 5th failure: 6 seconds
        assert _try(bases[1], PASSWORD)[0] == 429
        time.sleep(6.1)
        assert _try(bases[1], "guess 5")[0] == 400  # the 6th locks
        for base in bases:
            status, page = _try(base, PASSWORD)
            assert status == 429 and "Too many failed sign-ins. Try again after" in page
    finally:
        for process, _ in servers:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    assert (count(app, "sign_in_failed"), count(app, "lock_started"), count(app, "sign_in")) \
        == (6, 1, 0)


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(app, org):
    from app import create_app

    shared = ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "ONEVOICE_PASSWORD_HASH",
              "WTF_CSRF_ENABLED", "SERVER_NAME")
    proxied = create_app({**{n: app.config[n] for n in shared}, "ONEVOICE_TRUSTED_PROXIES": 1})
    try:
        proxied.test_client().post(
            "/login", data={"email": "agent@example.com", "password": "wrong"},
            headers={"X-Forwarded-For": "192.0.2.44"})
    finally:
        with proxied.app_context():
            db.session.remove()
            db.engine.dispose()
    with app.app_context():
        keys = set(db.session.scalars(select(SignInThrottle.key)))
    assert keys == {"agent@example.com", "192.0.2.44"}
    app.test_client().post(  # without the setting the header is ignored
        "/login", data={"email": "agent@example.com", "password": "wrong"},
        headers={"X-Forwarded-For": "192.0.2.99"})
    with app.app_context():
        keys = set(db.session.scalars(select(SignInThrottle.key)))
    assert "127.0.0.1" in keys and "192.0.2.99" not in keys
