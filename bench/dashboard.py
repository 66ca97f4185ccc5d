"""Benchmark: a scheme lead's dashboard for 5,000 practitioners, 50,000 practice records and
20,000 enrolments. Target: under 300 ms per page (median of warm requests) on the project's
2-core machine. Run: `.venv/bin/python bench/dashboard.py` (LMS_BENCH_DATABASE_URL to use
another database; the default is a throwaway SQLite file)."""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import insert, select

from lms import clock, create_app
from lms.accreditation.models import AccreditationRecord, StandardVersion
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment
from lms.practice.models import HARM_CATEGORIES, PROCESS_TYPES, PracticeRecord
from lms.reports.models import FigureSnapshot
from lms.schemes.models import Membership, Role, Scheme, Sector

TARGET_MS = 300
PRACTITIONERS, RECORDS, ENROLMENTS = 5000, 50_000, 20_000
PASSWORD = "benchmark passphrase"


def build(app):
    rng = random.Random(7)
    today = clock.today()
    with app.app_context():
        flask_migrate.upgrade()
        scheme = Scheme(name="Bench Prison", slug="bench", sector=Sector.PRISON, region="Wales")
        lead = User(username="bench.lead", display_name="Bench Lead")
        auth_services.set_password(lead, PASSWORD)
        lead.memberships.append(Membership(scheme=scheme, role=Role.LEAD))
        db.session.add(lead)
        db.session.flush()
        db.session.execute(insert(User), [
            {"username": f"p{n:05d}", "display_name": f"Practitioner {n}", "active": True,
             "is_admin": False, "is_assessor": False, "listed_publicly": False,
             "preferred_language": "en", "created_at": clock.utcnow()}
            for n in range(PRACTITIONERS)])
        ids = db.session.scalars(select(User.id).where(User.username.like("p%"))).all()
        db.session.execute(insert(Membership), [
            {"user_id": uid, "scheme_id": scheme.id, "role": Role.TRAINEE,
             "created_at": clock.utcnow()} for uid in ids])
        _practice(rng, ids, scheme.id, today)
        _learning(rng, ids, scheme.id)
        _accreditation(rng, ids, scheme.id, today)
        db.session.commit()


def _practice(rng, ids, scheme_id, today):
    kinds, harms = list(PROCESS_TYPES), list(HARM_CATEGORIES)
    db.session.execute(insert(PracticeRecord), [
        {"author_id": rng.choice(ids), "case_code": f"RJ-B-{n:06d}", "scheme_id": scheme_id,
         "occurred_on": today - timedelta(days=rng.randrange(700)), "sector": "prison",
         "process_type": rng.choice(kinds), "direct": rng.random() < .7,
         "face_to_face": rng.random() < .6, "sensitive": rng.random() < .1,
         "harm_category": rng.choice(harms), "practitioner_role": "lead",
         "stages": ["delivery"], "reflection": "", "created_at": clock.utcnow(),
         "status": rng.choice(["signed off", "submitted", "awaiting sign-off", "draft"]),
         "version": 1} for n in range(RECORDS)])


def _learning(rng, ids, scheme_id):
    course_ids = []
    for n in range(4):
        course = Course(slug=f"bench-{n}")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(course_id=course.id, number=1, content_hash=f"{n}" * 64,
                                title=f"Course {n}", summary="", pathway_stage="foundation",
                                prerequisites=[], estimated_hours=1, pass_mark=80,
                                max_attempts=None, live_required=False, live_hours=0)
        db.session.add(version)
        db.session.flush()
        course.current_version_id = version.id
        course_ids.append(course.id)
    pairs = rng.sample([(u, c) for u in ids for c in course_ids], ENROLMENTS)
    db.session.execute(insert(Enrolment), [
        {"user_id": u, "course_id": c, "scheme_id": scheme_id, "enrolled_at": clock.utcnow(),
         "completed_at": clock.utcnow() if rng.random() < .4 else None} for u, c in pairs])


def _accreditation(rng, ids, scheme_id, today):
    version = StandardVersion(content_hash="b" * 64, levels={})
    db.session.add(version)
    db.session.flush()
    db.session.execute(insert(AccreditationRecord), [
        {"public_id": f"B{n:04d}-AAAA-BBBB-CCCC", "holder_id": uid, "level_key": "foundation",
         "level_name": "Foundation practitioner", "standard_version_id": version.id,
         "scheme_id": scheme_id, "issued_on": today - timedelta(days=200),
         "expires_on": today + timedelta(days=rng.randrange(-60, 400)),
         "status": rng.choice(["active", "expiring", "lapsed"]), "decision": {}, "version": 1,
         "created_at": clock.utcnow()} for n, uid in enumerate(ids[:2000])])


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("LMS_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'b.db'}"
        app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
        started = time.perf_counter()
        build(app)
        print(f"built {PRACTITIONERS} practitioners, {RECORDS} records, {ENROLMENTS} "
              f"enrolments in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        client.post("/login", data={"username": "bench.lead", "password": PASSWORD})
        timings, kept = [], []
        for _ in range(7):
            with app.app_context():  # computed each time: kept figures dropped, untimed
                db.session.execute(FigureSnapshot.__table__.delete())
                db.session.commit()
            began = time.perf_counter()
            response = client.get("/reports/schemes/bench")
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
            began = time.perf_counter()
            assert client.get("/reports/schemes/bench").status_code == 200
            kept.append((time.perf_counter() - began) * 1000)
        median = statistics.median(timings[1:])
        print(f"dashboard: median {median:.0f} ms computing its figures, "
              f"{statistics.median(kept[1:]):.0f} ms with them kept; "
              f"runs {[round(t) for t in timings]} ms")
        print(f"target < {TARGET_MS} ms: {'OK' if median < TARGET_MS else 'TOO SLOW'}")
        with app.app_context():
            db.engine.dispose()
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
