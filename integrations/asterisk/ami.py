"""Asterisk's Manager Interface (AMI) for the routing adapter, over panoramisk.

Three actions: ``QueueStatus`` (every queue's ``QueueParams`` and ``QueueMember`` events),
``QueueAdd`` and ``QueueRemove``. The AMI user needs ``write = agent`` (and ``read = agent``)
in manager.conf. panoramisk reconnects by itself; this client turns that off and fails
pending actions instead, so the adapter reconnects with a fresh login and a full reconcile.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Self

from panoramisk import Manager

from app.domain.routing import ADD, Change, Member

AMI_ACTIONS = {ADD: "QueueAdd", "remove": "QueueRemove"}


class AmiError(Exception):
    """Asterisk could not be reached, dropped the connection, or did not answer in time."""


class LoginRefused(AmiError):
    """Asterisk refused the AMI user name or secret: retrying will not help."""


@dataclass(frozen=True)
class AmiSettings:
    """Where the AMI listens and who logs in."""

    host: str
    port: int
    user: str
    secret: str
    timeout: float = 10.0  # seconds to wait for an answer to one action
    record_calls: bool = False  # listen to AgentConnect events (read = agent in manager.conf)

    @property
    def address(self) -> str:
        """``host:port``, for messages."""
        return f"{self.host}:{self.port}"


class _Manager(Manager):
    """panoramisk's Manager without its own reconnect loop (the adapter owns reconnects)."""

    def connection_made(self, f):
        if f.cancelled() or f.exception() is not None:
            return  # the failure reaches AsteriskAmi.open through the awaited task
        super().connection_made(f)

    lost = False

    def connection_lost(self, exc):
        self._connected, self.lost = False, True
        if self.pinger:
            self.pinger.cancel()
            self.pinger = None
        while self.awaiting_actions:  # actions panoramisk would replay after reconnecting
            action = self.awaiting_actions.popleft()
            if not action.future.done():
                action.future.set_exception(ConnectionError("Asterisk closed the AMI connection"))


class AsteriskAmi:
    """One logged-in AMI session: ``async with AsteriskAmi(settings) as ami: ...``."""

    def __init__(self, settings: AmiSettings):
        self.settings = settings
        self._manager: _Manager | None = None
        self._answered: list[dict] = []

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *_exc) -> None:
        self.close()

    async def open(self) -> None:
        """Connect and log in; AmiError when unreachable, LoginRefused on a bad secret."""
        s = self.settings
        self._manager = _Manager(loop=asyncio.get_running_loop(), host=s.host, port=s.port,
                                 ping_delay=60, ping_interval=60)
        try:
            await asyncio.wait_for(self._manager.connect(), s.timeout)
        except (TimeoutError, OSError) as error:
            self.close()
            raise AmiError(f"cannot reach the Asterisk AMI at {s.address}: "
                           f"{error or 'no answer'}") from None
        if s.record_calls:
            self._manager.register_event("AgentConnect", self._on_agent_connect)
        answer = await self._send({"Action": "Login", "Username": s.user, "Secret": s.secret,
                                   "Events": "agent" if s.record_calls else "off"},
                                  as_list=False)
        if not answer.success:
            self.close()
            raise LoginRefused(f"Asterisk at {s.address} refused the login of AMI user "
                               f"{s.user!r}: {answer.message or 'no reason given'}")

    def _on_agent_connect(self, _manager, message) -> None:
        self._answered.append({key: str(value) for key, value in message.items()})

    def answered_calls(self) -> list[dict]:
        """The ``AgentConnect`` events received since the last call (each returned once)."""
        taken, self._answered = self._answered, []
        return taken

    def close(self) -> None:
        """Drop the connection (no reconnect follows)."""
        if self._manager is not None:
            self._manager.close()
            self._manager = None

    def check(self) -> None:
        """AmiError when the connection is gone (Asterisk restarted or the network broke)."""
        if self._manager is None or self._manager.protocol is None or self._manager.lost:
            raise AmiError(f"lost the connection to the Asterisk AMI at {self.settings.address}")

    async def _send(self, action: dict, *, as_list: bool | None):
        self.check()
        try:
            return await asyncio.wait_for(
                self._manager.send_action(action, as_list=as_list), self.settings.timeout)
        except TimeoutError:
            raise AmiError(f"Asterisk at {self.settings.address} did not answer "
                           f"{action['Action']} within {self.settings.timeout:g} s") from None
        except ConnectionError as error:
            raise AmiError(f"{error} ({self.settings.address})") from None

    async def queue_members(self) -> tuple[set[str], list[Member]]:
        """Every queue's name and members, from one ``QueueStatus``."""
        # as_list=None: panoramisk collects the events up to QueueStatusComplete.
        answer = await self._send({"Action": "QueueStatus"}, as_list=None)
        messages = answer if isinstance(answer, list) else [answer]
        if not messages[0].success:
            raise AmiError(f"QueueStatus failed at {self.settings.address}: "
                           f"{messages[0].message or 'no reason given'}")
        return _parse_queue_status(messages[1:])

    async def apply(self, change: Change) -> tuple[bool, str]:
        """Send one ``QueueAdd``/``QueueRemove``; return (success, Asterisk's message)."""
        # as_list=False: panoramisk would otherwise wait for events after "Added ... to queue".
        answer = await self._send({"Action": AMI_ACTIONS[change.action], "Queue": change.queue,
                                   "Interface": change.interface}, as_list=False)
        return bool(answer.success), str(answer.message or "")


def _parse_queue_status(events) -> tuple[set[str], list[Member]]:
    queues: set[str] = set()
    members: list[Member] = []
    for event in events:
        kind = str(event.event)
        if kind == "QueueParams":
            queues.add(str(event.queue))
        elif kind == "QueueMember":
            # Asterisk 12+ names the interface Location; 1.4-era versions used Interface.
            interface = str(event.get("Location") or event.get("Interface") or "")
            membership = str(event.get("Membership") or "dynamic").lower()
            queues.add(str(event.queue))
            members.append(Member(str(event.queue), interface, membership == "dynamic"))
    return queues, members
