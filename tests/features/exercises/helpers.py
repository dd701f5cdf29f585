"""Shared data for the exercise-programme tests: the shipped book, dates, diaries, sessions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

from bot.content.exercises import load_exercises
from bot.core.exercises import ExerciseBook, Programme, Site
from bot.features.exercises.diary import PainDiary
from bot.features.exercises.programme import Session

START = date(2026, 11, 2)  # a Monday
STRETCHES = ("sole-stretch-sitting", "calf-stretch-wall-straight", "calf-stretch-wall-bent")


@cache
def book() -> ExerciseBook:
    """Return the shipped exercises, loaded once for the module."""
    return load_exercises()


def programme(site: Site) -> Programme:
    """Return the shipped programme for site."""
    return book().programme(site)


def day(n: int) -> date:
    """Return the date n days after START."""
    return START + timedelta(days=n)


def steady(first: int, last: int, score: int) -> PainDiary:
    """Return a diary with the same morning score on days first..last (inclusive)."""
    return PainDiary(daily={day(n): score for n in range(first, last + 1)})


def with_mornings(diary: PainDiary, scores: dict[int, int]) -> PainDiary:
    """Return diary with some days' first-step pain set (day number -> score)."""
    first_step = dict(diary.first_step) | {day(n): s for n, s in scores.items()}
    return PainDiary(first_step=first_step, daily=diary.daily)


def every_exercise() -> frozenset[str]:
    """Return the id of every shipped exercise: a session that did all it was asked."""
    return frozenset(e.id for e in book().exercises)


def sessions(
    days: Iterable[int], pain: int | None = 2, done: Iterable[str] | None = None
) -> list[Session]:
    """Return one session on each of the given day numbers (all exercises done by default)."""
    ids = every_exercise() if done is None else frozenset(done)
    return [Session(day(n), pain, ids) for n in days]
