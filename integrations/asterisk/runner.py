"""The adapter's passes: reconcile the router with the stored eligibility, then follow the outbox.

Router-neutral: the router is any ``QueueRouter`` (``queue_members``, ``apply``, ``check``);
integrations/asterisk/ami.py is one. The
planning is pure (app/domain/routing.py); this module reads OneVoice, sends the changes and
keeps the state file (integrations/asterisk/state.py) up to date after every pass.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.domain import routing
from app.domain.routing import Change, Plan
from app.models import utcnow
from integrations.asterisk import source
from integrations.asterisk.state import AdapterState, load_state, save_state

BATCH = 500  # outbox events read per query


class QueueRouter(Protocol):
    """What the adapter needs from a router."""

    async def queue_members(self) -> tuple[set[str], list[routing.Member]]: ...

    async def apply(self, change: Change) -> tuple[bool, str]: ...

    def check(self) -> None:
        """Raise the router's transient error when its connection is gone."""


@dataclass
class PassReport:
    """What one pass did."""

    applied: list[Change] = field(default_factory=list)
    failed: list[tuple[Change, str]] = field(default_factory=list)


@dataclass
class Adapter:
    """Keeps one router's queues equal to eligibility; ``say(message, error)`` reports."""

    router: QueueRouter
    state_path: Path
    template: str
    say: Callable[[str, bool], None]
    dry_run: bool = False

    def __post_init__(self):
        self.state: AdapterState = load_state(self.state_path)

    async def reconcile(self) -> PassReport:
        """Compare every member with the cleared pairs; send the differences.

        The outbox position moves to the one the eligibility snapshot includes, and the
        retries waiting in the state file are dropped: this pass covers them.
        """
        snapshot = source.snapshot()
        queues, members = await self.router.queue_members()
        plan = routing.reconcile(members, snapshot.cleared, queues=snapshot.skills,
                                 template=self.template)
        self._warn(plan, queues)
        report = await self._send(plan.changes)
        self._store(AdapterState(snapshot.last_seq, [c for c, _ in report.failed]))
        if self.dry_run:
            self.say(f"dry run: {len(plan.changes)} change(s) planned, none sent", False)
        else:
            self.say(f"reconciled: {len(report.applied)} change(s) applied, "
                     f"{len(report.failed)} failed, outbox at seq {snapshot.last_seq}", False)
        return report

    async def follow(self, *, retry: bool = True) -> PassReport:
        """Apply the outbox events after the saved position, and (``retry``) what failed before.

        Failures stay in the state file; a later event on the same membership replaces them.
        """
        if self.state.last_seq is None:
            raise ValueError(f"{self.state_path} holds no outbox position yet: "
                             "run once without --no-reconcile")
        oldest = source.oldest_seq()
        if oldest is not None and self.state.last_seq < oldest - 1:
            self.say(f"the outbox no longer holds the events after seq {self.state.last_seq} "
                     f"(the oldest kept is {oldest}): reconciling in full", True)
            return await self.reconcile()
        pending = list(self.state.pending) if retry else []
        failed = {} if retry else {_key(c): (c, "not retried yet") for c in self.state.pending}
        report, seq = PassReport(), self.state.last_seq
        while True:
            events = source.events_after(seq, BATCH)
            plan = routing.follow(pending, events, template=self.template)
            pending = []  # retried once per pass, in the first batch
            report.applied += (await self._send_plan(plan, failed)).applied
            seq = events[-1].seq if events else seq
            self._store(AdapterState(seq, [c for c, _ in failed.values()]))
            if len(events) < BATCH:
                report.failed = list(failed.values())
                self.record_calls()
                return report

    def record_calls(self) -> int:
        """Record the calls the router reported answered since the last pass; return how many.

        Only routers that report answered calls (``answered_calls()``) have any. Events that
        name no agent of the interface template, or an unknown agent or call type, are
        skipped with a warning: the rest are recorded.
        """
        take = getattr(self.router, "answered_calls", None)
        if take is None or self.dry_run:
            return 0
        events = take()
        rows = [routing.answered_call(e, self.template, utcnow()) for e in events]
        for event, row in zip(events, rows, strict=True):
            if row is None:
                self.say(f"answered call skipped: {event.get('Interface')!r} in queue "
                         f"{event.get('Queue')!r} names no agent of {self.template!r}", True)
        recorded, skipped = source.record_calls([r for r in rows if r is not None])
        for problem in skipped:
            self.say(f"answered call skipped: {problem}", True)
        if recorded:
            self.say(f"recorded {recorded} answered call(s)", False)
        return recorded

    async def _send_plan(self, plan: Plan, failed: dict) -> PassReport:
        """Send ``plan``; keep ``failed`` by membership: a later word replaces a failure."""
        self._warn(plan)
        sent = await self._send(plan.changes)
        for change in plan.changes:
            failed.pop(_key(change), None)
        failed.update({_key(c): (c, m) for c, m in sent.failed})
        return sent

    async def _send(self, changes: tuple[Change, ...]) -> PassReport:
        report = PassReport()
        for change in changes:
            if self.dry_run:
                self.say(f"would {_describe(change)}", False)
                continue
            success, message = await self.router.apply(change)
            if routing.is_applied(change, success, message):
                report.applied.append(change)
                self.say(f"done: {_describe(change)} ({message or 'ok'})", False)
            else:
                report.failed.append((change, message))
                self.say(f"failed: {_describe(change)}: {message or 'no reason given'}; "
                         "retrying on the next pass", True)
        return report

    def _store(self, state: AdapterState) -> None:
        if self.dry_run:
            return  # a dry run changes nothing, the state file included
        if state != self.state or not self.state_path.exists():  # idle passes write nothing
            save_state(self.state_path, state)
        self.state = state

    def _warn(self, plan: Plan, queues: set[str] | None = None) -> None:
        for member in plan.static:
            self.say(f"{member.interface} is a static member of {member.queue} but not cleared "
                     "for it: remove it from the router's configuration", True)
        for agent in plan.unusable:
            self.say(f"agent {agent!r} makes no valid interface with {self.template!r}; "
                     "skipped", True)
        if queues is not None:
            missing = sorted({c.queue for c in plan.changes if c.action == routing.ADD} - queues)
            if missing:
                self.say(f"the router has no queue {', '.join(missing)}: create it for the "
                         "cleared agents to be added", True)


@dataclass(frozen=True)
class Schedule:
    """When the passes run."""

    once: bool = False  # one reconcile (unless ``reconcile`` is off) and one follow pass
    interval: float = 5.0  # seconds between follow passes
    reconcile: bool = True  # reconcile at start; after a reconnect it always does
    reconcile_every: float = 3600.0  # a full reconcile this often (0: only at start)


async def run(connect: Callable[[], AbstractAsyncContextManager[QueueRouter]],
              adapter_for: Callable[[QueueRouter], Adapter], schedule: Schedule, *,
              transient: tuple[type[Exception], ...], stop: asyncio.Event | None = None
              ) -> Adapter:
    """Run the adapter until ``stop`` is set (or one round with ``schedule.once``).

    A ``transient`` error (the router went away) before the first connection is raised; after
    it the loop reconnects every ``interval`` and reconciles in full. Returns the adapter.
    """
    stop = stop or asyncio.Event()
    connected = False
    while True:
        try:
            async with connect() as router:
                adapter = adapter_for(router)
                reconnected, connected = connected, True
                await _session(adapter, schedule, reconnected, stop)
                return adapter
        except transient as error:
            if not connected or schedule.once:
                raise
            adapter.say(f"{error}; reconnecting in {schedule.interval:g} s", True)
            if await _wait(stop, schedule.interval):
                return adapter


async def _session(adapter: Adapter, schedule: Schedule, reconnected: bool,
                   stop: asyncio.Event) -> None:
    # After a reconnect the router may have restarted and lost its dynamic members.
    reconcile_now = schedule.reconcile or reconnected
    if adapter.dry_run:  # one plan, printed; nothing is sent or saved
        await (adapter.reconcile() if reconcile_now else adapter.follow())
        return
    if reconcile_now:  # at start a failure is fatal; after a reconnect the loop goes on
        await _guarded(adapter, adapter.reconcile(), schedule.once or not reconnected)
    reconciled_at, retry = time.monotonic(), not reconcile_now
    while True:
        adapter.router.check()  # a dropped connection is noticed even when nothing changes
        await _guarded(adapter, adapter.follow(retry=retry), schedule.once)
        retry = True
        if schedule.once or await _wait(stop, schedule.interval):
            return
        if schedule.reconcile_every and \
                time.monotonic() - reconciled_at >= schedule.reconcile_every:
            await _guarded(adapter, adapter.reconcile(), False)
            reconciled_at = time.monotonic()


async def _guarded(adapter: Adapter, step, once: bool) -> None:
    """Run one pass; in the long-running loop a database error is reported, not fatal."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        await step
    except SQLAlchemyError as error:
        if once:
            raise
        adapter.say(f"pass failed, retrying on the next one: {error}", True)


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep ``seconds`` or until ``stop``; tell whether to stop."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _key(change: Change) -> tuple[str, str]:
    return (change.queue, change.interface)


def _describe(change: Change) -> str:
    """``add PJSIP/A1 to wifi`` / ``remove PJSIP/A1 from wifi``."""
    where = "to" if change.action == routing.ADD else "from"
    return f"{change.action} {change.interface} {where} {change.queue}"
