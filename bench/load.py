"""Load benchmark: the important pages served by gunicorn (two workers, production settings,
rate limits off) against the national data set, each at 1 and at --users concurrent users
with real signed-in sessions, beside a bare route running the page's main indexed query
(bench/load_app.py) in the same run. Prints requests per second, p50 and p95 in ms, and the
gunicorn workers' CPU time per request (from /proc), with the page's figures as multiples of
its bare route's; on PostgreSQL also the database backends' CPU per request.

Run: `.venv/bin/python bench/national.py --scale 0.1 && .venv/bin/python -m bench.load`
(LMS_BENCH_DATABASE_URL as for national.py; `--seconds` per page per concurrency; `--only
NAME` for some pages; `--profile NAME` profiles one page in-process instead;
`--instructions` counts instructions per request under valgrind instead, a figure that
does not drift with the machine: bench/load_instructions.py)."""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from sqlalchemy import func, select

from bench.national import PASSWORD, TRAINEE, add_trainee, bench_app, database_url
from lms.accreditation.models import AccreditationRecord
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Course, Lesson, Module
from lms.schemes.models import REGIONS, Scheme

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
#: Production settings (README, "Running in production"); fixed keys for a benchmark database.
PRODUCTION = {"LMS_CONFIG": "production", "LMS_BASE_URL": "https://lms.example.org",
              "LMS_SECRET_KEY": "bench-only-session-key-" + "0" * 24,
              "LMS_AUDIT_KEY": "bench-only-audit-key-" + "0" * 24,
              "LMS_TRUSTED_PROXIES": "1", "LMS_LOG_FORMAT": "json"}


@dataclass
class Page:
    name: str
    username: str | None  # None: a public page
    url: str
    bare: str  # the bare route under /_bare, with its parameters


def pages(app) -> list[Page]:
    """The pages, with the ids and slugs their URLs need, looked up in the data set."""
    with app.app_context():
        scheme_id, slug = db.session.execute(select(Scheme.id, Scheme.slug).where(
            Scheme.slug.like("national-%")).order_by(Scheme.slug)).first() or (0, "")
        trainee = db.session.scalar(select(User.id).where(User.username == TRAINEE))
        public_id = db.session.scalar(select(AccreditationRecord.public_id)
                                      .order_by(AccreditationRecord.id))
        # the course under way: its tenth lesson (the trainee has done nine) and first check
        course = "facilitator"
        steps = db.session.execute(
            select(Module.slug, Lesson.slug).join(Lesson, Lesson.module_id == Module.id)
            .join(Course, Course.current_version_id == Module.version_id)
            .where(Course.slug == course).order_by(Module.order, Lesson.order)).all()
        module, lesson = steps[min(9, len(steps) - 1)]
        first_module = steps[0][0]
        region = db.session.scalar(select(Scheme.region).where(Scheme.id == scheme_id))
        db.engine.dispose()  # no connection of ours left open during the run
    region = region or REGIONS[0]
    lesson_args = f"course={course}&module={module}&lesson={lesson}"
    return [
        Page("trainee home", TRAINEE, "/", f"home?user={trainee}"),
        Page("course", TRAINEE, f"/courses/{course}", f"course?course={course}"),
        Page("lesson", TRAINEE, f"/courses/{course}/lessons/{module}/{lesson}",
             f"lesson?{lesson_args}"),
        Page("knowledge check", TRAINEE, f"/courses/{course}/checks/{first_module}",
             f"check?course={course}&module={first_module}"),
        Page("pathway", TRAINEE, "/accreditation/pathway", f"pathway?user={trainee}"),
        Page("practice log", TRAINEE, "/practice/", f"practice?user={trainee}"),
        Page("sign-off queue", "national.lead", "/supervision/queue", f"queue?scheme={scheme_id}"),
        Page("lead dashboard", "national.lead", f"/reports/schemes/{slug}",
             f"dashboard?scheme={scheme_id}"),
        Page("who is accredited", "national.lead", "/reports/areas/accredited",
             f"accredited?scheme={scheme_id}"),
        Page("people list", "national.lead", "/people/", f"people?scheme={scheme_id}"),
        Page("admin overview", "national.admin", "/reports/admin", "admin"),
        Page("register: name", None, "/register?q=jones", "register?q=jones"),
        Page("register: region", None, f"/register?region={urllib.parse.quote(region)}",
             f"register?region={urllib.parse.quote(region)}"),
        Page("verification page", None, f"/verify/{public_id}", f"verify?id={public_id}"),
        Page("verification API", None, f"/api/v1/verify/{public_id}", f"verify?id={public_id}"),
        Page("CSV export", "national.lead", f"/reports/schemes/{slug}/export/accredited.csv",
             f"export?scheme={scheme_id}"),
        Page("figures", "national.admin", "/reports/areas/figures", "figures"),
        Page("coverage map", "national.admin", "/reports/areas/coverage", "coverage"),
    ]


class Server:
    """gunicorn with the project's gunicorn.conf.py (preloaded app, sync workers, JSON
    logs): two workers, never recycled during a run (a recycled worker would take its CPU
    count with it)."""

    def __init__(self, log_path: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = log_path.open("w")
        env = {**os.environ, **PRODUCTION, "LMS_BENCH_DATABASE_URL": database_url(),
               "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers",
             str(WORKERS), "--max-requests", "0", "--bind", f"127.0.0.1:{self.port}",
             # the control socket's default path is one per user: another gunicorn's
             "--no-control-socket", "bench.load_app:create()"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {self.log.name}")
            if len(self.workers()) == WORKERS and Client(self.port).get("/healthz")[0] == 200:
                return
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not start; see {self.log.name}")

    def workers(self) -> list[int]:
        return [pid for pid, stat in _processes() if int(stat[1]) == self.process.pid]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def _processes():
    """(pid, fields of /proc/<pid>/stat after the command name) for every process."""
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                text = Path(entry.path, "stat").read_text()
            except OSError:  # it ended
                continue
            yield int(entry.name), text[text.rindex(")") + 2:].split()


def cpu_ms(pids) -> float:
    """User and system CPU time of these processes, in ms."""
    return sum((int(stat[11]) + int(stat[12])) * TICK_MS
               for pid, stat in _processes() if pid in pids)


def database_cpu_ms(name: str | None) -> float | None:
    """CPU of the PostgreSQL backends serving clients of database `name`: their process
    titles read "postgres: ... <user> <database> <client address>(<port>) <state>"."""
    if name is None:
        return None
    backend = re.compile(rf" {re.escape(name)} (\[local\]|[0-9a-f.:]+\()")
    pids = set()
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and backend.search(Path(
                    entry.path, "cmdline").read_bytes().decode(errors="replace")):
                pids.add(int(entry.name))
        except OSError:
            continue
    return cpu_ms(pids)


class Client:
    """One browser: its own cookies and address; a new connection per request, as gunicorn's
    sync workers close each one. Sends what the TLS proxy in front would."""

    def __init__(self, port: int, address: str = "203.0.113.1"):
        self.port, self.cookies = port, SimpleCookie()
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": address}

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict | None = None) -> tuple[int, bytes, http.client.HTTPResponse]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        cookie = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers={
                **self.headers, **(headers or {}), **({"Cookie": cookie} if cookie else {})})
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response.status, content, response

    def get(self, path: str) -> tuple[int, bytes]:
        status, content, _response = self.request("GET", path)
        return status, content

    def sign_in(self, username: str) -> None:
        _status, form, _response = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form)
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrf_token": token.group(1).decode() if token else ""})
        status, _content, response = self.request("POST", "/login", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{self.port}/login"})
        if status != 302 or "/login" in (response.getheader("Location") or ""):
            raise SystemExit(f"cannot sign in as {username} ({status}): did national.py run?")


@dataclass
class Result:
    requests: int
    seconds: float
    timings: list[float]
    cpu: float  # worker CPU ms per request
    db_cpu: float | None  # database backends' CPU ms per request (PostgreSQL)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(server: Server, clients: list[Client], path: str, users: int, seconds: float,
            database: str | None) -> Result:
    """`users` threads, each its own client, asking for `path` one request after another
    for `seconds`; the workers' CPU read before and after."""
    for client in clients[:3]:  # warm up both workers
        client.get(path)
    workers = server.workers()
    timings: list[list[float]] = [[] for _ in range(users)]
    failures: list[int] = []
    cpu_before, db_before = cpu_ms(workers), database_cpu_ms(database)
    started = time.perf_counter()
    deadline = started + seconds

    def user(k: int) -> None:
        client = clients[k]
        while time.perf_counter() < deadline and not failures:
            began = time.perf_counter()
            status, _content = client.get(path)
            timings[k].append((time.perf_counter() - began) * 1000)
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=user, args=(k,)) for k in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{path} answered {failures[0]}")
    if server.workers() != workers:
        print(f"warning: workers changed during {path}", file=sys.stderr)
    done = [t for per_user in timings for t in per_user]
    db_after = database_cpu_ms(database)
    return Result(len(done), elapsed, done, (cpu_ms(workers) - cpu_before) / len(done),
                  None if db_before is None or db_after is None
                  else (db_after - db_before) / len(done))


COLUMNS = ["page", "users", "req/s", "p50 ms", "p95 ms", "CPU ms/req", "DB CPU ms/req",
           "bare req/s", "bare p50", "bare p95", "bare CPU", "ratio p50", "ratio p95", "ratio CPU"]


WIDTHS = [20, 5, 7, 7, 7, 10, 13, 10, 8, 8, 8, 9, 9, 9]


def _row(cells) -> str:
    return "| " + " | ".join(
        str(c).ljust(w) if n == 0 else str(c).rjust(w)
        for n, (c, w) in enumerate(zip(cells, WIDTHS, strict=True))) + " |"


def _rule() -> str:
    return "|" + "|".join("-" * (w + 1) + (":" if n else "-")
                          for n, w in enumerate(WIDTHS)) + "|"


def report_line(name: str, users: int, page: Result, bare: Result) -> str:
    def times(a: float, b: float) -> str:
        return f"{a / b:.1f}" if b > 0 else "-"
    return _row([name, users, f"{page.rate:.1f}", f"{page.p50:.1f}", f"{page.p95:.1f}",
                 f"{page.cpu:.1f}", "-" if page.db_cpu is None else f"{page.db_cpu:.1f}",
                 f"{bare.rate:.1f}", f"{bare.p50:.1f}", f"{bare.p95:.1f}", f"{bare.cpu:.1f}",
                 times(page.p50, bare.p50), times(page.p95, bare.p95),
                 times(page.cpu, bare.cpu)])


def _database_name() -> str | None:
    url = database_url()
    return urllib.parse.urlsplit(url).path.lstrip("/") if url.startswith("postgresql") else None


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per page and concurrency")
    parser.add_argument("--users", type=int, default=8, help="the higher concurrency")
    parser.add_argument("--only", action="append", help="a page's name (repeatable)")
    parser.add_argument("--profile", metavar="NAME", help="profile one page in-process")
    parser.add_argument("--instructions", action="store_true",
                        help="count the instructions per request of the --only pages (or all) "
                             "and their bare routes, in-process under valgrind")
    args = parser.parse_args()
    # bench.figures names its own database unless one is named: name ours
    os.environ["LMS_BENCH_DATABASE_URL"] = database_url()
    app = bench_app()
    add_trainee(app)  # a data set built before the trainee existed gets one
    every = pages(app)
    named = {p.name: p for p in every}
    unknown = [name for name in [*(args.only or []), args.profile] if name and name not in named]
    if unknown:
        parser.error(f"no page named {unknown[0]!r}; the pages: {', '.join(named)}")
    if args.profile:
        from bench.load_profile import profile

        return profile(named[args.profile])
    chosen = [p for p in every if not args.only or p.name in args.only]
    if args.instructions:
        from bench.load_instructions import report

        return report([p.name for p in chosen])
    with app.app_context():
        people = db.session.scalar(select(func.count()).select_from(User))
        db.engine.dispose()
    server = Server(Path(tempfile.gettempdir()) / "lms-bench-load-gunicorn.log")
    try:
        server.wait_until_up()
        counts = sorted({1, args.users})
        clients: dict[str | None, list[Client]] = {}
        for username in {p.username for p in chosen}:
            clients[username] = [Client(server.port, f"203.0.113.{k + 1}")
                                 for k in range(max(counts))]
            for client in clients[username]:
                if username:
                    client.sign_in(username)
        bare = [Client(server.port, f"198.51.100.{k + 1}") for k in range(max(counts))]
        database = _database_name()
        print(f"{database_url()}: {people:,} people; gunicorn, {WORKERS} workers, "
              f"{args.seconds:g} s per page and concurrency; load average {_load_average()}")
        print(_row(COLUMNS))
        print(_rule())
        own_cpu, served = time.process_time(), 0
        for users in counts:
            for page in chosen:
                limit = measure(server, bare, "/_bare/" + page.bare, users, args.seconds,
                                database)
                found = measure(server, clients[page.username], page.url, users,
                                args.seconds, database)
                served += limit.requests + found.requests
                print(report_line(page.name, users, found, limit), flush=True)
        print(f"load average after: {_load_average()}; the load generator itself used "
              f"{(time.process_time() - own_cpu) * 1000 / max(served, 1):.2f} ms CPU "
              f"per request on the same machine")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
