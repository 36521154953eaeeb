"""``flask routing asterisk`` against an in-test AMI server that speaks the real protocol."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import pytest
from sqlalchemy import func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import EligibilityEvent, ItemOption, User
from tests.conftest import publish_wifi
from tests.web.fake_ami import FakeAsterisk

SLUG = "wibro50-wifi-login"
CHANGES = ("QueueAdd", "QueueRemove")


@pytest.fixture
def ami():
    """An AMI server whose queues are the org's skills, empty."""
    server = FakeAsterisk({"wibro": {}, "wifi": {}, "wired": {}, "billing": {}}).start()
    yield server
    server.stop()


@pytest.fixture
def adapter(runner, ami, tmp_path):
    """Run the adapter once: ``adapter("--no-reconcile")``; returns the CLI result."""
    state = tmp_path / "asterisk-state.json"

    def run(*extra: str, secret: str = "s3cret", port: int | None = None):
        return runner.invoke(args=[
            "routing", "asterisk", "--host", "127.0.0.1", "--port", str(port or ami.port),
            "--user", "onevoice", "--secret", secret, "--state", str(state), "--once",
            "--timeout", "5", *extra])

    run.state = state
    return run


def _max_seq(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(EligibilityEvent.seq)))


def pass_quiz(app, email: str) -> None:
    """The agent passes the bulletin's quiz through the attempt services."""
    from app.services.certification import attempts

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        attempt = attempts.start(user, SLUG)
        for entry in attempt.items:
            correct = db.session.scalar(select(ItemOption.id).where(
                ItemOption.item_id == entry.item_id, ItemOption.correct.is_(True)))
            attempts.save_answer(user, attempt.id, entry.item_id, correct)
        assert attempts.submit(user, attempt.id)["passed"] is True


def deactivate(app, email: str) -> None:
    """Deactivate an agent and record the eligibility change (rule 8)."""
    from app.services.certification.eligibility import recompute

    with app.app_context(), unit_of_work():
        user = db.session.scalar(select(User).where(User.email == email))
        user.active = False
        assert recompute([user], cause="agent_deactivated") == 2


def test_start_reconciles_exactly_the_differences(org, ami, adapter):
    # A1 is cleared for wibro+wifi, A2 for wired+wifi (no requirement yet).
    ami.queues = {
        "wibro": {"PJSIP/A2": "dynamic"},  # A2 does not hold wibro: goes
        "wifi": {"PJSIP/A1": "dynamic", "PJSIP/Z9": "dynamic"},  # A1 stays, Z9 goes
        "wired": {},
        "billing": {"PJSIP/S7": "static"},  # queues.conf member: reported, not removed
        "sales": {"PJSIP/Z9": "dynamic"},  # not a skill: never touched
    }
    result = adapter()
    assert result.exit_code == 0, result.output
    assert ami.members() == {"wibro": {"PJSIP/A1"}, "wifi": {"PJSIP/A1", "PJSIP/A2"},
                             "wired": {"PJSIP/A2"}, "billing": {"PJSIP/S7"},
                             "sales": {"PJSIP/Z9"}}
    assert sorted(ami.sent(*CHANGES)) == [
        ("QueueAdd", "wibro", "PJSIP/A1"), ("QueueAdd", "wifi", "PJSIP/A2"),
        ("QueueAdd", "wired", "PJSIP/A2"), ("QueueRemove", "wibro", "PJSIP/A2"),
        ("QueueRemove", "wifi", "PJSIP/Z9")]
    assert "PJSIP/S7 is a static member of billing" in result.stderr
    saved = json.loads(adapter.state.read_text())
    assert saved["last_seq"] == _max_seq(org.app) and saved["pending"] == []

    again = adapter()  # equal now: nothing to send
    assert again.exit_code == 0, again.output
    assert len(ami.sent(*CHANGES)) == 5
    assert "reconciled: 0 change(s) applied, 0 failed" in again.output


def test_outbox_passes_follow_publish_pass_and_deactivation(org, ami, adapter):
    assert adapter().exit_code == 0
    publish_wifi(org)  # wibro+wifi need the bulletin in wibro_care: A1 is blocked on both
    result = adapter("--no-reconcile")
    assert result.exit_code == 0, result.output
    assert ami.members() == {"wibro": set(), "wifi": {"PJSIP/A2"}, "wired": {"PJSIP/A2"},
                             "billing": set()}

    pass_quiz(org.app, "agent@example.com")
    result = adapter("--no-reconcile")
    assert result.exit_code == 0, result.output
    assert ami.members()["wibro"] == {"PJSIP/A1"}
    assert ami.members()["wifi"] == {"PJSIP/A1", "PJSIP/A2"}
    assert ami.sent("QueueStatus") == [("QueueStatus", "", "")]  # only the first run's
    assert json.loads(adapter.state.read_text())["last_seq"] == _max_seq(org.app)

    deactivate(org.app, "agent@example.com")
    result = adapter("--no-reconcile")
    assert result.exit_code == 0, result.output
    assert ami.members() == {"wibro": set(), "wifi": {"PJSIP/A2"}, "wired": {"PJSIP/A2"},
                             "billing": set()}
    assert ami.sent(*CHANGES)[-2:] == [("QueueRemove", "wibro", "PJSIP/A1"),
                                       ("QueueRemove", "wifi", "PJSIP/A1")]


def test_already_there_and_not_there_count_as_success(org, ami, adapter):
    assert adapter().exit_code == 0
    publish_wifi(org)
    del ami.queues["wifi"]["PJSIP/A1"]  # someone removed A1 by hand before the pass
    result = adapter("--no-reconcile")
    assert result.exit_code == 0, result.output
    assert ("QueueRemove", "Error", "Unable to remove interface: Not there") in ami.answers

    pass_quiz(org.app, "agent@example.com")
    ami.queues["wibro"]["PJSIP/A1"] = "dynamic"  # and added it back by hand
    result = adapter("--no-reconcile")
    assert result.exit_code == 0, result.output
    assert ("QueueAdd", "Error", "Unable to add interface: Already there") in ami.answers
    assert json.loads(adapter.state.read_text())["pending"] == []
    assert ami.members()["wibro"] == {"PJSIP/A1"}
    assert ami.members()["wifi"] == {"PJSIP/A1", "PJSIP/A2"}


def test_other_errors_are_kept_and_retried_on_the_next_pass(org, ami, adapter):
    del ami.queues["wired"]  # not created in Asterisk yet
    result = adapter()
    assert result.exit_code == 1
    assert "Unable to add interface to queue: No such queue" in result.stderr
    assert "the router has no queue wired" in result.stderr
    assert "1 change(s) failed; they wait in" in result.stderr
    pending = json.loads(adapter.state.read_text())["pending"]
    assert pending == [{"action": "add", "queue": "wired", "interface": "PJSIP/A2"}]

    ami.queues["wired"] = {}
    result = adapter("--no-reconcile")
    assert result.exit_code == 0, result.output
    assert ami.members()["wired"] == {"PJSIP/A2"}
    assert json.loads(adapter.state.read_text())["pending"] == []


def test_a_position_older_than_the_outbox_keeps_reconciles_in_full(org, ami, adapter):
    from sqlalchemy import delete

    assert adapter().exit_code == 0
    publish_wifi(org)
    with org.app.app_context(), unit_of_work():  # the worker prunes: only the newest is kept
        db.session.execute(delete(EligibilityEvent).where(
            EligibilityEvent.seq < db.session.scalar(select(func.max(EligibilityEvent.seq)))))
    result = adapter("--no-reconcile")
    assert result.exit_code == 0, result.output
    assert "the outbox no longer holds the events after seq" in result.stderr
    assert len(ami.sent("QueueStatus")) == 2
    assert ami.members()["wibro"] == set() and ami.members()["wifi"] == {"PJSIP/A2"}
    assert json.loads(adapter.state.read_text())["last_seq"] == _max_seq(org.app)


def test_wrong_secret_fails_clearly(org, ami, adapter):
    result = adapter(secret="wrong")
    assert result.exit_code == 1
    assert (f"error: Asterisk at 127.0.0.1:{ami.port} refused the login of AMI user "
            "'onevoice': Authentication failed") in result.stderr
    assert ami.sent("QueueStatus", *CHANGES) == []
    assert not adapter.state.exists()


def test_unreachable_asterisk_fails_clearly(org, adapter):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = adapter(port=port)
    assert result.exit_code == 1
    assert f"error: cannot reach the Asterisk AMI at 127.0.0.1:{port}" in result.stderr


@pytest.mark.parametrize(("args", "says"), [
    (["--no-reconcile"], "holds no outbox position yet: run once without --no-reconcile"),
    (["--interface", "PJSIP/agent"], "must contain {external_id}"),
])
def test_bad_use_is_refused(org, ami, adapter, args, says):
    result = adapter(*args)
    assert result.exit_code != 0
    assert says in result.output
    assert ami.sent(*CHANGES) == []


def test_without_panoramisk_the_command_says_what_to_install(org, adapter, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "panoramisk", None)  # import panoramisk fails
    monkeypatch.delitem(sys.modules, "integrations.asterisk.ami", raising=False)
    result = adapter()
    assert result.exit_code == 1
    assert "the Asterisk adapter needs panoramisk: pip install -e '.[asterisk]'" in result.stderr


def test_dry_run_sends_and_saves_nothing(org, ami, adapter):
    result = adapter("--dry-run")
    assert result.exit_code == 0, result.output
    assert "would add PJSIP/A1 to wibro" in result.output
    assert ami.sent(*CHANGES) == [] and not adapter.state.exists()


def test_the_loop_follows_and_reconciles_after_a_reconnect(org, ami, tmp_path):
    from integrations.asterisk.ami import AmiError, AmiSettings, AsteriskAmi
    from integrations.asterisk.runner import Adapter, Schedule, run

    settings = AmiSettings("127.0.0.1", ami.port, "onevoice", "s3cret", timeout=5)
    said: list[str] = []

    async def until(check, what: str) -> None:
        deadline = time.monotonic() + 10
        while not check():
            assert time.monotonic() < deadline, f"timed out waiting for {what}: {said}"
            await asyncio.sleep(0.02)

    async def scenario():
        stop = asyncio.Event()
        loop = asyncio.create_task(run(
            lambda: AsteriskAmi(settings),
            lambda router: Adapter(router, tmp_path / "state.json", "PJSIP/{external_id}",
                                   lambda message, _error: said.append(message)),
            Schedule(interval=0.05), transient=(AmiError,), stop=stop))
        await until(lambda: ami.members()["wifi"] == {"PJSIP/A1", "PJSIP/A2"}, "reconcile")
        publish_wifi(org)
        await until(lambda: ami.members()["wifi"] == {"PJSIP/A2"}, "the outbox pass")
        ami.queues["wired"].clear()  # Asterisk restarts and forgets its dynamic members
        ami.drop_connections()
        await until(lambda: ami.logins == 2 and ami.members()["wired"] == {"PJSIP/A2"},
                    "a reconnect and a reconcile")
        stop.set()
        await asyncio.wait_for(loop, 10)

    with org.app.app_context():
        asyncio.run(scenario())
    assert any("reconnecting in" in line for line in said), said


def test_answered_calls_are_recorded_and_judged(app, org, ami, adapter):
    """AgentConnect events become calls: A1 was not cleared for wifi, A2 was; an interface
    outside the template and an unknown agent are skipped with a warning."""
    from app.models import Call

    publish_wifi(org)
    now = time.time()
    ami.answered = [
        {"Queue": "wifi", "Uniqueid": "1700000000.1", "Linkedid": "1700000000.1",
         "Interface": "PJSIP/A1", "MemberName": "PJSIP/A1", "HoldTime": "3",
         "RingTime": "2", "Timestamp": f"{now:.6f}"},
        {"Queue": "wifi", "Uniqueid": "1700000000.2", "Interface": "PJSIP/A2",
         "Timestamp": f"{now:.6f}"},
        {"Queue": "wifi", "Uniqueid": "1700000000.3", "Interface": "SIP/desk-9"},
        {"Queue": "wifi", "Uniqueid": "1700000000.4", "Interface": "PJSIP/NOBODY"},
    ]
    result = adapter("--record-calls")
    assert result.exit_code == 0, result.output
    assert "recorded 2 answered call(s)" in result.output
    assert "'SIP/desk-9' in queue 'wifi' names no agent of 'PJSIP/{external_id}'" in result.output
    assert "no agent with external_id 'NOBODY'" in result.output
    with app.app_context():
        calls = {c.call_id: (c.user.external_id, c.source, c.cleared)
                 for c in db.session.scalars(select(Call))}
    assert calls == {"asterisk:1700000000.1:wifi": ("A1", "asterisk", False),
                     "asterisk:1700000000.2:wifi": ("A2", "asterisk", True)}
    again = adapter("--record-calls", "--no-reconcile")  # the same events again: duplicates
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Call)) == 2


def test_without_the_flag_no_events_are_asked_for(app, org, ami, adapter):
    ami.answered = [{"Queue": "wifi", "Uniqueid": "1.1", "Interface": "PJSIP/A1"}]
    assert adapter().exit_code == 0
    (login,) = [a for a in ami.actions if a.get("Action") == "Login"]
    assert login["Events"] == "off"
