"""A real SMTP server in the test process (aiosmtpd), and the app pointed at it."""

import email
import email.policy
import threading

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the server received, as parsed messages; ``wait_for`` waits for mail sent from
    another thread."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        return list(self.messages)


class LocalController(Controller):
    """aiosmtpd 1.4 checks that the server answers on ``port`` before returning from
    ``start``: with port 0 (any free port), read the port the system chose first."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    controller = LocalController(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "facilitate <noreply@facilitate.test>")
    try:
        yield inbox
    finally:
        controller.stop()
