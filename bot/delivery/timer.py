"""When the one dispatcher runs: every `interval` seconds, and once more at the earliest due
time, so a daily message leaves within a second of its minute instead of up to a tick late."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import ContextTypes, Job, JobQueue

# Never sooner than this after a run: a user whose dispatch failed stays due and must not
# spin the loop.
MIN_WAIT = 0.5


class DispatchTimer:
    """Schedules `run` on python-telegram-bot's JobQueue: periodic, plus one armed run."""

    def __init__(
        self, jobs: JobQueue[Any], run: Callable[[], Awaitable[object]], interval: float
    ) -> None:
        self._jobs = jobs
        self._run = run
        self._interval = interval
        self._armed: Job[ContextTypes.DEFAULT_TYPE] | None = None
        self._armed_at = 0.0  # time.monotonic() of the armed run

    def start(self, first: float = 0.5) -> None:
        """Start the periodic run: one recurring job for all users, never one per user."""
        self._jobs.run_repeating(
            self._job,
            interval=self._interval,
            first=first,
            name="dispatcher",
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )

    def arm(self, delay: float) -> None:
        """Run once after `delay` seconds, unless a run is already armed sooner; anything
        further away than the interval is the periodic run's."""
        if delay >= self._interval:
            return
        at = time.monotonic() + max(delay, MIN_WAIT)
        if self._armed is not None:
            if self._armed_at <= at:
                return
            self._armed.schedule_removal()
        self._armed_at = at
        self._armed = self._jobs.run_once(
            self._armed_job, when=at - time.monotonic(), name="dispatcher-due"
        )

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._run()

    async def _armed_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._armed = None
        await self._run()
