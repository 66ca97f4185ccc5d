"""Taking and giving back a job's lease (see lms/jobs/__init__.py)."""

from __future__ import annotations

import functools
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import ParamSpec, TypeVar

import click
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.extensions import db
from lms.jobs.models import JobLease

P = ParamSpec("P")
R = TypeVar("R")


class JobAlreadyRunning(Exception):
    def __init__(self, lease: JobLease | None):
        self.holder = lease.holder if lease else "another run"
        self.taken_at = lease.taken_at if lease else None
        super().__init__(f"already running ({self.holder})")


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:120]


def take(name: str, minutes: int) -> str:
    """Take the lease on `name` for `minutes`, committed at once so other nodes see it.
    Returns the holder id; raises JobAlreadyRunning when a live lease is held."""
    me, now = _holder(), clock.utcnow()
    until = now + timedelta(minutes=minutes)
    # An expired lease is taken over by a conditional UPDATE: one node's succeeds.
    taken = db.session.execute(
        update(JobLease).where(JobLease.name == name, JobLease.expires_at <= now)
        .values(holder=me, taken_at=now, expires_at=until)
    ).rowcount  # type: ignore[attr-defined]  # DML gives a CursorResult
    if not taken:
        try:
            with db.session.begin_nested():
                db.session.add(JobLease(name=name, holder=me, taken_at=now, expires_at=until))
        except IntegrityError:
            db.session.commit()
            raise JobAlreadyRunning(db.session.scalar(
                select(JobLease).where(JobLease.name == name))) from None
    db.session.commit()
    return me


def give_back(name: str, holder: str) -> None:
    db.session.execute(delete(JobLease).where(JobLease.name == name,
                                              JobLease.holder == holder))
    db.session.commit()


@contextmanager
def exclusive(name: str, minutes: int = 60) -> Iterator[None]:
    """Run the body only if no other node is running job `name`; give the lease back after,
    whether the body succeeded or failed."""
    holder = take(name, minutes)
    try:
        yield
    except BaseException:
        db.session.rollback()  # what the failed run left unfinished is not committed
        raise
    finally:
        give_back(name, holder)


def one_at_a_time(name: str, minutes: int = 60
                  ) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """For CLI commands: run inside `exclusive(name)`; when another node holds the lease,
    say so and exit 0 (a scheduler starting the job twice is not an error)."""
    def wrap(command: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(command)
        def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                with exclusive(name, minutes):
                    return command(*args, **kwargs)
            except JobAlreadyRunning as running:
                since = f", since {running.taken_at:%Y-%m-%d %H:%M} UTC" if running.taken_at else ""
                click.echo(f"{name}: another run holds the lease ({running.holder}{since}); "
                           "nothing done.")
                return None
        return run
    return wrap
