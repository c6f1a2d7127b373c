"""A real SMTP server on loopback for tests: aiosmtpd on 127.0.0.1, a free port, every message kept.

Three shapes of mail server a delivery job meets:

* ``SmtpServer`` — a real aiosmtpd server. It accepts by default; ``refuse()`` makes it answer
  with a permanent 5xx and ``defer()`` with a temporary 4xx, for the next *n* messages or until
  ``accept()``, so a test can show "fails twice, then is delivered" with the same server.
* ``UnreachableSmtp`` — a loopback port with a socket bound but not listening: connecting is
  refused at once (ECONNREFUSED), as when the mail server is down.
* ``SilentSmtp`` — a port that listens but never sends the SMTP greeting: the client times out,
  as when a firewall or a hung server swallows the connection.

Each has ``config``: the ``SMTP_*`` settings to put into ``app.config`` (``app.config.update(
smtp_server.config)``) or a worker's environment (``smtp_server.environ``). The fixtures in
``tests/conftest.py`` (``smtp_server``, ``unreachable_smtp``, ``silent_smtp``) start and stop them
per test.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.celery_processes import free_port

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedMessage:
    """One message as the server took it off the wire."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)

    def attachments(self) -> list[tuple[str, str, bytes]]:
        """(filename, content type, decoded bytes) of each attachment."""
        return [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
                for part in self.message.iter_attachments()]


class _Handler:
    """The aiosmtpd handler: answers per the server's current mode and records what it accepted."""

    def __init__(self, server: "SmtpServer"):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.server._refusal_for("rcpt")
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusal = self.server._refusal_for("data")
        if refusal:
            return refusal
        self.server._record(ReceivedMessage(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real aiosmtpd SMTP server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[ReceivedMessage] = []
        self.refusals: list[str] = []  # every refusal reply sent, in order
        self._reply: str | None = None
        self._stage = "data"
        self._remaining: int | None = None
        self._changed = threading.Condition()
        self._controller: Controller | None = None
        self.port = 0

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self) -> "SmtpServer":
        for _ in range(20):  # a free port can be taken between probing and binding; try another
            self.port = free_port()
            controller = Controller(_Handler(self), hostname=HOST, port=self.port)
            try:
                controller.start()
            except (OSError, RuntimeError):
                continue
            self._controller = controller
            return self
        raise RuntimeError("could not start the test SMTP server on a free loopback port")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # ---- modes -----------------------------------------------------------------------------------
    def accept(self) -> None:
        """Accept every message (the default)."""
        with self._changed:
            self._reply, self._remaining = None, None

    def refuse(self, reply: str = "550 5.7.1 Message refused by policy", *, times: int | None = None,
               stage: str = "data") -> None:
        """Answer with a permanent 5xx at ``stage`` ("rcpt" or "data"), for ``times`` messages or
        until ``accept()``."""
        self._set_refusal(reply, times, stage)

    def defer(self, reply: str = "451 4.3.0 Temporary failure, try again later", *, times: int | None = None,
              stage: str = "data") -> None:
        """Answer with a temporary 4xx at ``stage``, for ``times`` messages or until ``accept()``."""
        self._set_refusal(reply, times, stage)

    def _set_refusal(self, reply: str, times: int | None, stage: str) -> None:
        if stage not in ("rcpt", "data"):
            raise ValueError("stage is 'rcpt' or 'data'")
        with self._changed:
            self._reply, self._remaining, self._stage = reply, times, stage

    def _refusal_for(self, stage: str) -> str | None:
        with self._changed:
            if self._reply is None or stage != self._stage:
                return None
            reply = self._reply
            if self._remaining is not None:
                self._remaining -= 1
                if self._remaining <= 0:
                    self._reply, self._remaining = None, None
            self.refusals.append(reply)
            self._changed.notify_all()
            return reply

    def _record(self, message: ReceivedMessage) -> None:
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()

    # ---- for assertions --------------------------------------------------------------------------
    def wait_for_messages(self, count: int, timeout: float = 30) -> list[ReceivedMessage]:
        """Wait until at least ``count`` messages arrived (a worker process sends them), then return
        all of them. Raises AssertionError after ``timeout`` seconds with what did arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} message(s), got {len(self.messages)} "
                                         f"(refusals: {self.refusals})")
                self._changed.wait(left)
            return list(self.messages)

    @property
    def config(self) -> dict:
        return smtp_config(self.port)

    @property
    def environ(self) -> dict[str, str]:
        return smtp_environ(self.config)


class UnreachableSmtp:
    """A loopback port where nothing listens: a socket is bound (so no one else takes the port)
    but never listens, so every connection is refused at once."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind((HOST, 0))
        self.port = self._socket.getsockname()[1]

    def stop(self) -> None:
        self._socket.close()

    @property
    def config(self) -> dict:
        return smtp_config(self.port, timeout=2)

    @property
    def environ(self) -> dict[str, str]:
        return smtp_environ(self.config)


class SilentSmtp:
    """A loopback port that accepts the TCP connection (the kernel's backlog does) but never sends
    the SMTP greeting, so the client runs into its timeout."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind((HOST, 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]

    def stop(self) -> None:
        self._socket.close()

    @property
    def config(self) -> dict:
        return smtp_config(self.port, timeout=1)

    @property
    def environ(self) -> dict[str, str]:
        return smtp_environ(self.config)


def smtp_config(port: int, *, timeout: float = 5) -> dict:
    """The ``SMTP_*`` settings for a plain, unauthenticated loopback server."""
    return {"SMTP_HOST": HOST, "SMTP_PORT": port, "SMTP_USER": None, "SMTP_PASSWORD": None,
            "SMTP_STARTTLS": False, "SMTP_TIMEOUT": timeout}


def smtp_environ(config: dict) -> dict[str, str]:
    """The same settings as ``VELFERD_*`` environment variables (JSON values), for a worker process."""
    import json

    return {f"VELFERD_{key}": json.dumps(value) for key, value in config.items()}
