"""An in-test Asterisk Manager Interface: a real TCP server on 127.0.0.1 (a free port).

It speaks the AMI wire protocol as Asterisk 18-20 does (greeting, CRLF-separated headers,
a blank line ending each message, ActionID echoed on responses and list events), with the
exact texts of app_queue for QueueStatus, QueueAdd and QueueRemove.
"""

from __future__ import annotations

import asyncio
import threading

GREETING = b"Asterisk Call Manager/5.0.1\r\n"


class FakeAsterisk:
    """Queues with members (interface -> 'dynamic' | 'static'), and a log of what was asked."""

    def __init__(self, queues: dict[str, dict[str, str]], *, user="onevoice", secret="s3cret"):
        self.queues = {name: dict(members) for name, members in queues.items()}
        self.user, self.secret = user, secret
        self.actions: list[dict] = []  # every action received, headers as sent
        self.answers: list[tuple[str, str, str]] = []  # (action, Response, Message)
        self.logins = 0
        # AgentConnect events sent after each login that asks for the 'agent' event class
        self.answered: list[dict[str, str]] = []
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-ami", daemon=True)
        self.port = 0

    # --- what tests use ---------------------------------------------------------------
    def start(self) -> FakeAsterisk:
        self._thread.start()
        assert self._ready.wait(10), "the fake AMI server did not start"
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def members(self) -> dict[str, set[str]]:
        """Each queue's member interfaces."""
        return {name: set(members) for name, members in self.queues.items()}

    def sent(self, *names: str) -> list[tuple[str, str, str]]:
        """(action, queue, interface) of the actions with these names, in order."""
        return [(a["Action"], a.get("Queue", ""), a.get("Interface", ""))
                for a in self.actions if a.get("Action") in names]

    def drop_connections(self) -> None:
        """Close every client connection, as an Asterisk restart does."""
        def close_all():
            for writer in list(self._writers):
                writer.close()
        self._loop.call_soon_threadsafe(close_all)

    # --- the server -----------------------------------------------------------------
    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._session, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        self._loop.run_until_complete(server.wait_closed())
        self._loop.close()

    async def _session(self, reader, writer) -> None:
        self._writers.add(writer)
        writer.write(GREETING)
        state = {"authenticated": False}
        try:
            while True:
                raw = await reader.readuntil(b"\r\n\r\n")
                action = _headers(raw.decode())
                self.actions.append(action)
                for message in self._answer(action, state):
                    writer.write(_wire(message, action.get("ActionID")))
                for event in state.pop("after", []):  # events carry no ActionID
                    writer.write(_wire(event, None))
                await writer.drain()
                if state.get("close"):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    def _answer(self, action: dict, state: dict) -> list[list[tuple[str, str]]]:
        name = action.get("Action", "").lower()
        if name == "login":
            return [self._login(action, state)]
        if not state["authenticated"]:
            return [[("Response", "Error"), ("Message", "Permission denied")]]
        if name == "queuestatus":
            return self._queue_status()
        if name == "ping":
            return [[("Response", "Success"), ("Ping", "Pong"), ("Timestamp", "0.000000")]]
        if name == "logoff":
            state["close"] = True
            return [[("Response", "Goodbye"), ("Message", "Thanks for all the fish.")]]
        handler = {"queueadd": self._queue_add, "queueremove": self._queue_remove}.get(name)
        if handler is None:
            return [[("Response", "Error"), ("Message", "Invalid/unknown command")]]
        ok, message = handler(action.get("Queue", ""), action.get("Interface", ""))
        self.answers.append((action["Action"], "Success" if ok else "Error", message))
        return [[("Response", "Success" if ok else "Error"), ("Message", message)]]

    def _login(self, action: dict, state: dict) -> list[tuple[str, str]]:
        if action.get("Username") == self.user and action.get("Secret") == self.secret:
            state["authenticated"] = True
            self.logins += 1
            accepted = [("Response", "Success"), ("Message", "Authentication accepted")]
            if "agent" in action.get("Events", "off").lower().split(","):
                state["after"] = [[("Event", "AgentConnect"), ("Privilege", "agent,all"),
                                   *event.items()] for event in self.answered]
            return accepted
        state["close"] = True  # Asterisk ends the session after a failed login
        return [("Response", "Error"), ("Message", "Authentication failed")]

    def _queue_status(self) -> list[list[tuple[str, str]]]:
        messages = [[("Response", "Success"), ("EventList", "start"),
                     ("Message", "Queue status will follow")]]
        for queue, members in sorted(self.queues.items()):
            messages.append([("Event", "QueueParams"), ("Queue", queue), ("Max", "0"),
                             ("Strategy", "ringall"), ("Calls", "0"), ("Holdtime", "0"),
                             ("TalkTime", "0"), ("Completed", "0"), ("Abandoned", "0"),
                             ("ServiceLevel", "60"), ("ServicelevelPerf", "0.0"),
                             ("ServicelevelPerf2", "0.0"), ("Weight", "0")])
            for interface, membership in sorted(members.items()):
                messages.append([("Event", "QueueMember"), ("Queue", queue),
                                 ("Name", interface), ("Location", interface),
                                 ("StateInterface", interface), ("Membership", membership),
                                 ("Penalty", "0"), ("CallsTaken", "0"), ("LastCall", "0"),
                                 ("LastPause", "0"), ("LoginTime", "0"), ("InCall", "0"),
                                 ("Status", "5"), ("Paused", "0"), ("PausedReason", ""),
                                 ("Wrapuptime", "0")])
        items = len(messages) - 1
        messages.append([("Event", "QueueStatusComplete"), ("EventList", "Complete"),
                         ("ListItems", str(items))])
        return messages

    def _queue_add(self, queue: str, interface: str) -> tuple[bool, str]:
        if queue not in self.queues:
            return False, "Unable to add interface to queue: No such queue"
        if interface in self.queues[queue]:
            return False, "Unable to add interface: Already there"
        self.queues[queue][interface] = "dynamic"
        return True, "Added interface to queue"

    def _queue_remove(self, queue: str, interface: str) -> tuple[bool, str]:
        if queue not in self.queues:
            return False, "Unable to remove interface from queue: No such queue"
        if interface not in self.queues[queue]:
            return False, "Unable to remove interface: Not there"
        if self.queues[queue][interface] != "dynamic":
            return False, "Member not dynamic"
        del self.queues[queue][interface]
        return True, "Removed interface from queue"


def _headers(raw: str) -> dict:
    headers = {}
    for line in raw.split("\r\n"):
        if ": " in line:
            key, value = line.split(": ", 1)
            headers[key] = value
    return headers


def _wire(message: list[tuple[str, str]], action_id: str | None) -> bytes:
    lines = [f"{key}: {value}" for key, value in message]
    if action_id is not None:
        lines.insert(1, f"ActionID: {action_id}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()
