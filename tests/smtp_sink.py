"""A real SMTP server at the edge (aiosmtpd, in a thread) that records what it accepts and can drop the
line or hang, like the mail servers reminders must survive."""

from __future__ import annotations

import asyncio
import socket
import time

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    def __init__(self):
        self.messages: list[bytes] = []
        self.arrivals: list[float] = []  # when each DATA began, accepted or not
        self.disconnect_next = 0  # drop the connection on the next N messages
        self.hanging = False  # keep senders waiting until cleared
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):
        self.arrivals.append(time.monotonic())
        if self.disconnect_next > 0:
            self.disconnect_next -= 1
            server.transport.close()
            return "421 closing"
        if self.hanging:
            while self.hanging:
                await asyncio.sleep(0.05)
            return "451 too late, the sender gave up"  # the abandoned message is never delivered
        self.messages.append(envelope.content)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"

    def start(self) -> Sink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.hanging = False
        self.controller.stop()
