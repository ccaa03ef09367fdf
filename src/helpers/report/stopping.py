"""Stopping a run of worker processes on SIGINT or SIGTERM, at once and without leftovers.

The runner (helpers.report.batch) coordinates: ``StopSignals`` notes SIGINT and SIGTERM and,
once armed, turns the first into ``RunStopped`` in its main thread; ``prepare_worker`` takes each worker out of the
terminal's process group, so that Ctrl-C reaches the runner only; ``kill_process_trees`` ends
the workers and everything they started (the kernels run in sessions of their own, so no
process group holds them all).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType, TracebackType

import psutil

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How long the killed processes are given to disappear: SIGKILL takes effect at once, but a
# large process needs a moment to release its memory.
KILL_WAIT_SECONDS = 1.0


class RunStopped(BaseException):
    """Raised by ``StopSignals`` in the main thread; a BaseException, so that no ``except
    Exception`` on the way (a job's error handling) swallows it."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal.Signals(signal_number).name)
        self.signal = signal.Signals(signal_number)


class StopSignals:
    """While entered, SIGINT and SIGTERM are noted; once armed, the first one raises ``RunStopped``.

    Outside the main thread Python gives no signal handlers: there it changes nothing."""

    def __init__(self) -> None:
        self.received: signal.Signals | None = None
        self._armed = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            self._previous = {number: signal.signal(number, self._handle) for number in STOP_SIGNALS}
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]

    def _handle(self, number: int, _frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signal.Signals(number)
            if self._armed:
                raise RunStopped(number)

    def arm(self) -> None:
        """From now on the first signal raises ``RunStopped``; one noted before raises it now."""
        self._armed = True
        if self.received is not None:
            raise RunStopped(self.received)

    def disarm(self) -> None:
        """From now on a signal is noted, not raised: the run is ending anyway."""
        self._armed = False

    @contextmanager
    def held(self) -> Iterator[None]:
        """Holds both signals back while this thread starts processes: a signal then would leave
        one started and not yet told its work. They start with the signals blocked (a worker
        then ignores SIGINT before it can arrive); one that arrives meanwhile, here or in
        another thread (Arrow's, say, which blocks nothing), raises when the hold ends."""
        armed, self._armed = self._armed, False
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            if armed:
                self.arm()


def prepare_worker() -> None:
    """In a worker, first thing: leave Ctrl-C to the runner (a pending one is dropped with it),
    then let the signals through again, for the kernels it starts."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.setpgid(0, 0)  # out of the terminal's foreground group
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def kill_process_trees(process_ids: Sequence[int]) -> None:
    """SIGKILL each process and all its descendants; returns when they are gone (or zombies)."""
    doomed: list[psutil.Process] = []
    for process_id in process_ids:
        try:
            process = psutil.Process(process_id)
            process.suspend()  # frozen first, so that it starts nothing between listing and killing
            doomed += [process, *process.children(recursive=True)]
        except psutil.Error:  # already gone
            continue
    for process in doomed:
        try:
            process.kill()
        except psutil.Error:
            pass
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    while time.monotonic() < deadline and any(_alive(process) for process in doomed):
        time.sleep(0.02)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
