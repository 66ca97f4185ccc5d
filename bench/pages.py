"""Times the pages that summarise (and so grow with the data) against the data set that
bench/national.py built: median and 95th percentile per request and SQL statements per
request, through the Flask test client with real signed-in sessions (one process, one user at
a time; no concurrency, no gunicorn). Each page gets at most --runs requests or --seconds
seconds, whichever comes first.

Run: `.venv/bin/python bench/national.py --scale 0.1 && .venv/bin/python -m bench.pages`
(LMS_BENCH_DATABASE_URL as for national.py)."""

import argparse
import statistics
import sys
import time

from sqlalchemy import event, select

from bench.national import PASSWORD, bench_app, database_url, drop_kept_figures
from lms.accreditation.models import AccreditationRecord
from lms.extensions import db
from lms.schemes.models import Scheme


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def pages(app):
    with app.app_context():
        slug = db.session.scalar(select(Scheme.slug).order_by(Scheme.slug))
        public_id = db.session.scalar(select(AccreditationRecord.public_id)
                                      .order_by(AccreditationRecord.id))
    return [("lead dashboard", "national.lead", f"/reports/schemes/{slug}"),
            ("admin overview", "national.admin", "/reports/admin"),
            ("people list (lead)", "national.lead", "/people/"),
            ("people list (admin)", "national.admin", "/people/?q=jones"),
            ("sign-off queue", "national.lead", "/supervision/queue"),
            ("register search", None, "/register?q=jones"),
            ("verification page", None, f"/verify/{public_id}")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--kept", action="store_true",
                        help="read the figures kept by the first request (by default each "
                             "request computes them: they are dropped before it, untimed)")
    args = parser.parse_args()
    app = bench_app()
    app.config["RATELIMIT_ENABLED"] = False
    clients = {}
    for username in ("national.lead", "national.admin"):
        client = clients[username] = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        if response.status_code != 302:
            print(f"cannot sign in as {username}: did bench/national.py run?", file=sys.stderr)
            return 1
    clients[None] = app.test_client()
    statements = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    print(f"database {database_url()}")
    print(f"{'page':22} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'runs':>5}")
    for name, username, url in pages(app):
        client = clients[username]
        client.get(url)  # warm up
        timings, counts = [], set()
        deadline = time.perf_counter() + args.seconds
        while len(timings) < args.runs and time.perf_counter() < deadline:
            if not args.kept:
                drop_kept_figures(app)
            statements.clear()
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
            counts.add(len(statements))
            if response.status_code != 200:
                print(f"{url} answered {response.status_code}", file=sys.stderr)
                return 1
        queries = "/".join(str(c) for c in sorted(counts))
        print(f"{name:22} {statistics.median(timings):8.1f} {_percentile(timings, .95):8.1f} "
              f"{queries:>8} {len(timings):5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
