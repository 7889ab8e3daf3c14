"""Email goes to a real SMTP server with the standard library; failures are reported."""

import socket

import pytest
from aiosmtpd.smtp import AuthResult

from facilitate.mail import MailError, make_message, send, send_in_background
from tests.smtp import Inbox, LocalController, body_of, smtp  # noqa: F401  (fixture)


def test_a_message_reaches_the_server_in_utf8(app, smtp):  # noqa: F811
    send(
        make_message(
            "agnes@example.org", "Invitation à l’atelier", "Bonjour Agnès,\n\nÀ bientôt.\n"
        )
    )
    (message,) = smtp.wait_for(1)
    assert message["To"] == "agnes@example.org"
    assert message["From"] == "facilitate <noreply@facilitate.test>"
    assert message["Subject"] == "Invitation à l’atelier"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@facilitate.test>")
    assert "Bonjour Agnès" in body_of(message)


def test_send_in_background_delivers_from_another_thread(app, smtp):  # noqa: F811
    send_in_background(make_message("a@example.org", "Sujet", "Texte\n"))
    assert len(smtp.wait_for(1)) == 1


def test_the_sender_defaults_to_the_public_address_host(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FROM", None)
    monkeypatch.setitem(app.config, "BASE_URL", "https://facilitate.example.fr/")
    assert (
        make_message("a@example.org", "S", "T")["From"]
        == "facilitate <noreply@facilitate.example.fr>"
    )


def test_login_when_a_user_name_is_configured(app, monkeypatch):
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    inbox = Inbox()
    controller = LocalController(
        inbox, hostname="127.0.0.1", port=0, authenticator=authenticator, auth_require_tls=False
    )
    controller.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
        monkeypatch.setitem(app.config, "MAIL_USERNAME", "relay")
        monkeypatch.setitem(app.config, "MAIL_PASSWORD", "s3cret-relay")
        send(make_message("a@example.org", "S", "T"))
        assert inbox.wait_for(1)
        assert seen == [(b"relay", b"s3cret-relay")]
    finally:
        controller.stop()


def test_an_unreachable_server_raises_mail_error(app, monkeypatch):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    with pytest.raises(MailError):
        send(make_message("a@example.org", "S", "T"))
