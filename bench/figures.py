"""Benchmark: the figures pages over restorative processes (figures across schemes grouped
by scheme, area and sector, narrowed to an area, a sector and one scheme; the coverage map
and its CSV) for 100 schemes and 150,000 processes. Target: the national figures page in
under 300 ms (median of warm requests) on the project's 2-core machine.

The data set is bench/national.py's at --scale 1.0 (100 schemes, 50,000 people, 150,000
practice records, 20,000 accreditation records and 150,000 processes with their
participants, harms, outcomes, take-up counts and feedback; bench/national_processes.py).
Prints, per page, the median and 95th percentile of wall time and of this process's CPU time
(on a shared machine the wall clock also measures the other processes' load; CPU time does
not), and the SQL statements per request. On PostgreSQL the CPU time of the database server's
backends serving the requests is added when the server runs on this machine; parallel query
is turned off for them so that this is all of the database's work (VACUUM ANALYZE runs
first, as autovacuum would have done on a live database).

Run: `LMS_BENCH_DATABASE_URL=sqlite:////tmp/lms-figures-bench.db .venv/bin/python -m
bench.figures` (that SQLite file is the default and is rebuilt on each run; a PostgreSQL
database must be empty; `--scale 0.1` for a quick look, `--reuse` to time an already-built
database again, after migrating it to the current schema)."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

TARGET_MS = 300
os.environ.setdefault("LMS_BENCH_DATABASE_URL",
                      f"sqlite:///{Path(tempfile.gettempdir()) / 'lms-figures-bench.db'}")

from bench.national import (  # noqa: E402 - reads the URL
    PASSWORD,
    bench_app,
    build,
    database_url,
    drop_kept_figures,
)
from lms import clock  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.processes.models import RestorativeProcess  # noqa: E402
from lms.schemes.models import Scheme  # noqa: E402

FIGURES = "/reports/areas/figures"
#: The page the target is about.
NATIONAL = "figures, national"


def pages(app) -> list[tuple[str, str, str]]:
    """(name, who signs in, url); the narrowed pages pick the busiest area and sector."""
    with app.app_context():
        area, sector = db.session.execute(
            select(Scheme.police_force_code, Scheme.sector, func.count())
            .join(RestorativeProcess, RestorativeProcess.scheme_id == Scheme.id)
            .group_by(Scheme.police_force_code, Scheme.sector)
            .order_by(func.count().desc()).limit(1)).one()[:2]
    three_years = (f"start={clock.today() - timedelta(days=3 * 365 - 1)}"
                   f"&end={clock.today()}")
    return [(NATIONAL, "admin", FIGURES),
            ("figures, by area", "admin", f"{FIGURES}?group=area"),
            ("figures, by sector", "admin", f"{FIGURES}?group=sector"),
            ("figures, 3 years", "admin", f"{FIGURES}?{three_years}"),
            ("figures, one area", "admin", f"{FIGURES}?area={area}"),
            ("figures, one sector", "admin", f"{FIGURES}?sector={sector.value}"),
            ("figures, one scheme", "lead", FIGURES),
            ("coverage map", "admin", "/reports/areas/coverage"),
            ("coverage, processes", "admin", "/reports/areas/coverage?metric=processes"),
            ("coverage CSV", "admin", "/reports/areas/coverage.csv")]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


class BackendClock:
    """CPU time of the PostgreSQL backends serving the app's connections, read from /proc
    (only when the server runs on this machine). Parallel query off: a worker's time would
    not be counted."""

    def __init__(self, engine):
        self.pids: set[int] = set()
        self.tick = os.sysconf("SC_CLK_TCK")
        event.listen(engine, "connect", self._connected)

    def _connected(self, dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        dbapi_connection.commit()
        if Path(f"/proc/{pid}/stat").exists():
            self.pids.add(pid)

    def ms(self) -> float:
        total = 0
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total * 1000 / self.tick


def _prepare(app, url) -> BackendClock | None:
    """The schema up to date, statistics fresh (PostgreSQL), and its backends' clock."""
    with app.app_context():
        flask_migrate.upgrade()
        engine = db.engine
        if url.get_backend_name() != "postgresql":
            return None
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        engine.dispose()
        return BackendClock(engine)


def _sizes(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Scheme)) or 0,
                db.session.scalar(select(func.count()).select_from(RestorativeProcess)) or 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--kept", action="store_true",
                        help="read the figures kept by the first request (by default each "
                             "request computes them: they are dropped before it, untimed)")
    args = parser.parse_args()
    url = make_url(database_url())
    app = bench_app()
    app.config["RATELIMIT_ENABLED"] = False
    if not args.reuse:
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).unlink(missing_ok=True)
        started = time.perf_counter()
        build(app, args.scale)
        print(f"built at scale {args.scale} in {time.perf_counter() - started:.0f} s")
    clock_db = _prepare(app, url)
    schemes, processes = _sizes(app)
    print(f"{url.render_as_string()}: {schemes} schemes, {processes:,} processes; "
          f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    clients = {}
    for who in ("admin", "lead"):
        clients[who] = app.test_client()
        if clients[who].post("/login", data={"username": f"national.{who}",
                                             "password": PASSWORD}).status_code != 302:
            print(f"cannot sign in as national.{who}", file=sys.stderr)
            return 1
    statements = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    print(f"{'page':22} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8} "
          f"{'db cpu':>8} {'queries':>8}")
    national = 0.0
    for name, who, path in pages(app):
        client = clients[who]
        client.get(path)  # warm up
        timings, cpu, db_cpu = [], [], []
        for _ in range(args.runs):
            if not args.kept:
                drop_kept_figures(app)
            statements.clear()
            began_db = clock_db.ms() if clock_db else 0.0
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            if clock_db:
                db_cpu.append(clock_db.ms() - began_db)
            if response.status_code != 200:
                print(f"{path} answered {response.status_code}", file=sys.stderr)
                return 1
        p50 = statistics.median(timings)
        if name == NATIONAL:
            national = p50
        # the kernel counts a process's CPU in clock ticks (10 ms): the mean, not the median
        backend = f"{statistics.fmean(db_cpu):8.1f}" if db_cpu else f"{'-':>8}"
        print(f"{name:22} {p50:8.1f} {_p95(timings):8.1f} {statistics.median(cpu):8.1f} "
              f"{_p95(cpu):8.1f} {backend} {len(statements):8}")
    verdict = "meets" if national < TARGET_MS else "MISSES"
    print(f"national figures page p50 {national:.1f} ms: {verdict} the {TARGET_MS} ms target")
    return 0 if national < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
