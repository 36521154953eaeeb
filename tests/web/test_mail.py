"""Outgoing mail reaches a real SMTP server (aiosmtpd on loopback), Korean included."""

import pytest

from app.services.mail import MailError, mail_enabled, send_mail


def test_mail_is_off_without_a_server(app):
    with app.app_context():
        app.config["MAIL_SERVER"] = None
        assert not mail_enabled()
        with pytest.raises(MailError, match="MAIL_SERVER"):
            send_mail("agent@example.test", "Subject", "Body")


def test_a_message_arrives_whole(app, smtp_server):
    with app.app_context():
        assert mail_enabled()
        send_mail("상담사 <agent@example.test>", "와이파이 안내",
                  "새 내용을 읽어 주세요.\nline two")
    (message,) = smtp_server.mailbox.wait_for(1)
    assert message["Subject"] == "와이파이 안내"
    assert "agent@example.test" in message["To"]
    assert message["From"] == "OneVoice <onevoice@example.test>"
    assert smtp_server.mailbox.body(message).splitlines() == ["새 내용을 읽어 주세요.", "line two"]


def test_an_unreachable_server_is_named(app):
    with app.app_context():
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT_SECONDS=2)
        with pytest.raises(MailError, match="127.0.0.1:1"):
            send_mail("agent@example.test", "Subject", "Body")
