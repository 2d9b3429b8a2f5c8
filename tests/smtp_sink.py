"""A real SMTP server on loopback (aiosmtpd) that keeps the e-mails it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class Mailbox:
    """What the server received, in order."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp() -> Iterator[Mailbox]:
    """Start the sink on a free port; stop it after the test (unless a test stopped it)."""
    mailbox = Mailbox()
    mailbox.port = free_port()
    mailbox.controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    mailbox.controller.start()
    yield mailbox
    if mailbox.controller._thread is not None:  # noqa: SLF001 (stopped by a test already)
        mailbox.controller.stop()
