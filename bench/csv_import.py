"""Benchmark: preview and import a 5,000-row CSV of new accounts through the HTTP interface.

Target: both steps together in under 10 seconds on the project's 2-core machine.
Run with `make bench` (or `.venv/bin/python bench/csv_import.py [ROWS]`). Uses a throwaway
SQLite database unless LMS_BENCH_DATABASE_URL points elsewhere.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate

from lms import create_app
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Membership, Role, Scheme, Sector

TARGET_SECONDS = 10.0
PASSWORD = "benchmark passphrase"


def build_app(workdir: Path):
    url = os.environ.get("LMS_BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    # Production password hashing costs, so the measurement is honest; CSRF off for brevity.
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "ARGON2_TIME_COST": 3, "ARGON2_MEMORY_COST": 65536,
                      "ARGON2_PARALLELISM": 4})
    with app.app_context():
        flask_migrate.upgrade()
        scheme = Scheme(name="Bench Prison", slug="bench-prison", sector=Sector.PRISON,
                        region="London")
        lead = User(username="bench.lead", display_name="Bench Lead")
        auth_services.set_password(lead, PASSWORD)
        lead.memberships.append(Membership(scheme=scheme, role=Role.LEAD))
        db.session.add(lead)
        db.session.commit()
    return app


def main(rows: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        client = app.test_client()
        client.post("/login", data={"username": "bench.lead", "password": PASSWORD})
        csv_text = "username,display_name,email,role,scheme\n" + "".join(
            f"learner{n:05d},Learner {n},learner{n}@example.org,trainee,bench-prison\n"
            for n in range(rows)
        )
        started = time.perf_counter()
        preview = client.post("/people/import", content_type="multipart/form-data",
                              data={"file": (io.BytesIO(csv_text.encode()), "people.csv")})
        previewed = time.perf_counter()
        assert f"All {rows} rows are ready" in preview.get_data(as_text=True)
        result = client.post("/people/import/confirm", data={"content": csv_text})
        finished = time.perf_counter()
        assert f"{rows:,} accounts created" in result.get_data(as_text=True)
        with app.app_context():
            db.engine.dispose()
    total = finished - started
    print(f"rows: {rows}")
    print(f"preview: {previewed - started:.2f} s")
    print(f"import:  {finished - previewed:.2f} s")
    print(f"total:   {total:.2f} s (target < {TARGET_SECONDS:.0f} s): "
          f"{'OK' if total < TARGET_SECONDS else 'TOO SLOW'}")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
