"""Webhook rules as tables: signatures checked against the standardwebhooks reference, the
retry schedule with its jitter, Retry-After, outcomes, validation and change grouping."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.domain import webhooks as rules

NOW = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # the Standard Webhooks spec's example
OTHER = rules.format_secret(bytes(range(32)))


class FixedRng:
    """``uniform`` always answers the same point of its range: 0 = low end, 1 = high end."""

    def __init__(self, point: float):
        self.point = point

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.point


def _headers(msg_id: str, timestamp: int, signature: str) -> dict:
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": signature}


# --- signatures ---------------------------------------------------------------------------


@pytest.mark.parametrize(("secret", "msg_id", "body"), [
    (SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", b'{"test": 2432232314}'),
    (OTHER, "msg_1", rules.encode_body("bulletin.published", NOW, {"bulletin": "x"}).encode()),
    (OTHER, "msg_ko", '{"title":"와이브로 50 GB"}'.encode()),
    (rules.format_secret(b"k"), "msg_short_key", b"{}"),
], ids=["spec-example", "our-body", "korean", "one-byte-key"])
def test_signature_verifies_with_the_reference(secret, msg_id, body):
    timestamp = int(datetime.now(UTC).timestamp())
    signature = rules.sign(secret, msg_id, timestamp, body)
    assert signature.startswith("v1,")
    assert Webhook(secret).verify(body, _headers(msg_id, timestamp, signature)) == json.loads(body)


def test_signature_equals_the_reference_signature():
    at = datetime(2022, 11, 11, 11, 11, 11, tzinfo=UTC)
    body = '{"test": 2432232314}'
    expected = Webhook(SECRET).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", at, body)
    assert rules.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", int(at.timestamp()),
                      body.encode()) == expected


@pytest.mark.parametrize(("change", "value"), [
    ("webhook-id", "msg_other"), ("webhook-timestamp", None), ("body", b'{"test": 1}'),
], ids=["id", "timestamp", "body"])
def test_signature_covers_id_timestamp_and_body(change, value):
    timestamp = int(datetime.now(UTC).timestamp())
    body = b'{"test": 2}'
    headers = _headers("msg_a", timestamp, rules.sign(SECRET, "msg_a", timestamp, body))
    if change == "body":
        body = value
    else:
        headers[change] = value or str(timestamp - 1)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body, headers)


def test_signature_header_carries_one_signature_per_secret():
    timestamp = int(datetime.now(UTC).timestamp())
    header = rules.signature_header([OTHER, SECRET], "msg_r", timestamp, b"{}")
    assert len(header.split(" ")) == 2
    for secret in (OTHER, SECRET):  # a receiver holding either secret accepts the message
        assert Webhook(secret).verify(b"{}", _headers("msg_r", timestamp, header)) == {}
    with pytest.raises(WebhookVerificationError):
        Webhook(rules.format_secret(b"not ours")).verify(b"{}", _headers("msg_r", timestamp,
                                                                         header))


@pytest.mark.parametrize(("secret", "words"), [
    ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "starts with 'whsec_'"),
    ("whsec_", "may not be empty"),
    ("whsec_not base64!", "base64"),
], ids=["no-prefix", "empty", "not-base64"])
def test_bad_secrets_are_refused(secret, words):
    with pytest.raises(ValueError, match=words):
        rules.sign(secret, "msg", 0, b"")


def test_format_secret_round_trips():
    key = bytes(range(24))
    secret = rules.format_secret(key)
    assert secret.startswith("whsec_") and rules.secret_key(secret) == key
    assert base64.b64decode(secret[6:]) == key


def test_body_is_compact_stable_json():
    body = rules.encode_body("certification.passed", NOW, {"b": 1, "a": "가"})
    assert body == ('{"data":{"a":"가","b":1},"timestamp":"2030-01-10T09:00:00Z",'
                    '"type":"certification.passed"}')


# --- retry schedule -----------------------------------------------------------------------


@pytest.mark.parametrize(("attempt", "expected"), [
    (1, timedelta(seconds=5)), (2, timedelta(minutes=5)), (3, timedelta(minutes=30)),
    (4, timedelta(hours=2)), (5, timedelta(hours=5)), (6, timedelta(hours=10)),
    (7, timedelta(hours=10)),
])
@pytest.mark.parametrize(("point", "factor"), [(0.0, 0.8), (0.5, 1.0), (1.0, 1.2)],
                         ids=["-20%", "middle", "+20%"])
def test_backoff_schedule_with_jitter(attempt, expected, point, factor):
    assert rules.backoff(attempt, FixedRng(point)) == expected * factor


@pytest.mark.parametrize("attempt", [8, 9, 100])
def test_backoff_gives_up_after_the_schedule(attempt):
    assert rules.backoff(attempt, FixedRng(0.5)) is None


def test_backoff_refuses_attempt_zero():
    with pytest.raises(ValueError, match="start at 1"):
        rules.backoff(0, FixedRng(0.5))


@pytest.mark.parametrize(("header", "expected"), [
    ("120", timedelta(seconds=120)),
    (" 0 ", timedelta(0)),
    ("Thu, 10 Jan 2030 09:02:00 GMT", timedelta(minutes=2)),
    ("Thu, 10 Jan 2030 08:00:00 GMT", timedelta(0)),  # already past: now
    ("999999", timedelta(hours=24)),  # capped: a receiver cannot park a message for days
    ("9" * 5000, timedelta(hours=24)),
    ("-5", None), ("1.5", None), ("soon", None), ("", None), (None, None), ("٣", None),
    ("Thu, 10 Jan 2030 09:02:00", None),  # a date without a zone is not an HTTP-date
])
def test_retry_after(header, expected):
    assert rules.retry_after(header, NOW) == expected


@pytest.mark.parametrize(("status", "attempt", "asked", "state", "wait"), [
    (200, 1, None, "delivered", None),
    (204, 8, None, "delivered", None),
    (410, 1, None, "gone", None),
    (None, 1, None, "retry", timedelta(seconds=5)),
    (503, 2, None, "retry", timedelta(minutes=5)),
    (503, 2, timedelta(seconds=30), "retry", timedelta(seconds=30)),  # Retry-After wins
    (429, 1, timedelta(hours=30), "retry", timedelta(hours=24)),
    (301, 1, None, "retry", timedelta(seconds=5)),  # redirects are not followed
    (400, 7, None, "retry", timedelta(hours=10)),
    (500, 8, None, "failed", None),
    (503, 8, timedelta(seconds=1), "failed", None),  # Retry-After does not extend the schedule
])
def test_outcome(status, attempt, asked, state, wait):
    assert rules.outcome(status, attempt, asked, FixedRng(0.5)) == rules.Outcome(state, wait)


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "words"), [
    ("https://routing.example.com/hooks/onevoice", None),
    ("http://127.0.0.1:8080/hook?team=a", None),
    ("http://[::1]:9000/", None),
    ("", "empty"),
    ("ftp://example.com/hook", "http:// or https://"),
    ("example.com/hook", "http:// or https://"),
    ("https://", "no host"),
    ("https://exa mple.com/", "spaces"),
    ("https://example.com:99999/", "invalid port"),
    ("https://user:pw@example.com/", "user name or password"),
    ("https://example.com/#frag", "#fragment"),
    ("https://example.com/" + "a" * 2000, "longer than 2000"),
])
def test_url_problem(url, words):
    problem = rules.url_problem(url)
    if words is None:
        assert problem is None
    else:
        assert words in problem.message and "'url'" in problem.message


@pytest.mark.parametrize(("events", "words"), [
    (["agent_eligibility.updated"], None),
    (list(rules.EVENT_TYPES), None),
    ([], "at least one"),
    (["bulletin.deleted"], "unknown event type 'bulletin.deleted'"),
    ([3], "must hold strings"),
])
def test_event_problem(events, words):
    problem = rules.event_problem(events)
    assert (problem is None) if words is None else (words in problem.message)


def test_events_are_normalised_once_each_in_a_fixed_order():
    assert rules.normalise_events(["certification.passed", "bulletin.published",
                                   "certification.passed"]) == ["bulletin.published",
                                                                "certification.passed"]


# --- agent_eligibility.updated ------------------------------------------------------------


def _change(seq, user, version, skill, cleared=True, reason="certification_passed"):
    return rules.EligibilityChange(seq, user, version, skill, cleared, reason,
                                   NOW + timedelta(seconds=seq))


def test_changes_group_by_agent_and_version_in_first_seen_order():
    rows = [_change(3, 1, 2, "wifi"), _change(1, 2, 1, "wired"), _change(2, 1, 2, "wibro"),
            _change(4, 2, 2, "wifi", False, "gate_reached")]
    groups = rules.group_changes(rows)
    assert [(g.user_id, g.version, [c.skill for c in g.changed]) for g in groups] == [
        (2, 1, ["wired"]), (1, 2, ["wibro", "wifi"]), (2, 2, ["wifi"])]
    assert groups[1].key == "eligibility:1:2" and groups[1].at == NOW + timedelta(seconds=2)


def test_eligibility_update_carries_the_whole_document_and_what_changed():
    group = rules.group_changes([_change(1, 7, 4, "wifi", False, "certification_expired")])[0]
    document = {"agent": "A1", "version": 5, "cleared": [{"skill": "wibro",
                                                         "valid_until": "2030-07-01T00:00:00Z"}],
                "blocked": [{"skill": "wifi", "missing": []}], "due": []}
    data = rules.eligibility_update("A1", group, document)
    assert data == {"agent": "A1", "version": 4, "eligibility": document, "changed": [
        {"skill": "wifi", "cleared": False, "reason": "certification_expired"}]}


@pytest.mark.parametrize(("text", "expected"), [
    (None, rules.SCHEDULE),
    ("", rules.SCHEDULE),
    ("5,300,1800,7200,18000,36000,36000", rules.SCHEDULE),
    ("1", (timedelta(seconds=1),)),
    (" 2 , 3 ", (timedelta(seconds=2), timedelta(seconds=3))),
])
def test_a_retry_schedule_setting_reads_as_seconds(text, expected):
    assert rules.parse_schedule(text) == expected


@pytest.mark.parametrize("text", ["5,,30", "five", "0", "-5", "86401", "1.5"])
def test_a_bad_retry_schedule_setting_is_named(text):
    with pytest.raises(ValueError, match="ONEVOICE_WEBHOOK_RETRY_SCHEDULE"):
        rules.parse_schedule(text)


def test_outcome_follows_a_configured_schedule():
    short = (timedelta(seconds=1), timedelta(seconds=2))
    assert rules.outcome(503, 2, None, FixedRng(0.5), short).wait == timedelta(seconds=2)
    assert rules.outcome(503, 3, None, FixedRng(0.5), short).state == "failed"
