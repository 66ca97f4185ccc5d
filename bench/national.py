"""Builds a national data set: at --scale 1.0, 100 schemes, 50,000 people, about 1,000,000
lesson completions, 150,000 practice records, 20,000 accreditation records and 150,000
restorative processes (bench/national_processes.py; smaller scales proportionally), spread
unevenly over schemes and across three years. Schema from the migrations, rows by SQLAlchemy
Core bulk inserts.

Run: `.venv/bin/python bench/national.py --scale 0.1` (LMS_BENCH_DATABASE_URL for another
database; the default is a SQLite file in the temporary folder, rebuilt each run, which
bench/pages.py then measures). Sign-ins: `national.admin`, `national.lead` (lead and supervisor
of the largest scheme), `national.trainee` (see add_trainee), password "benchmark passphrase"."""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import insert, select

from lms import clock, create_app
from lms.accreditation.decisions import ID_ALPHABET
from lms.accreditation.models import AccreditationRecord, StandardVersion
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment, LessonCompletion
from lms.practice.models import HARM_CATEGORIES, PROCESS_TYPES, PracticeRecord, SupervisionSession
from lms.schemes.models import REGIONS, Membership, Role, Scheme, Sector

try:
    from bench.national_processes import add_processes
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    from national_processes import add_processes  # type: ignore[import-not-found,no-redef]

PASSWORD = "benchmark passphrase"
FULL = {"schemes": 100, "users": 50_000, "completions": 1_000_000, "practice": 150_000,
        "accreditation": 20_000, "supervision": 40_000}
COURSES, LESSONS_PER_COURSE = 6, 20
BATCH = 20_000
DEFAULT_DB = Path(tempfile.gettempdir()) / "lms-national.db"
FIRST = ["Amira", "Ben", "Carys", "Dev", "Efua", "Finn", "Gwen", "Hamza", "Iona", "Jack",
         "Kemi", "Liam", "Maya", "Niall", "Olu", "Priya", "Rhys", "Sana", "Tom", "Zoe"]
LAST = ["Adams", "Bevan", "Chowdhury", "Davies", "Evans", "Fraser", "Griffiths", "Hughes",
        "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nwosu", "Owen", "Patel", "Roberts",
        "Smith", "Thomas", "Williams"]
PRACTICE_STATUSES = (["signed off"] * 6 + ["submitted"] * 2 + ["awaiting sign-off"] * 1
                     + ["draft"] * 2 + ["returned"])
RECORD_STATUSES = ["active"] * 7 + ["expiring"] * 2 + ["lapsed"] * 2 + ["revoked"]


def database_url() -> str:
    return os.environ.get("LMS_BENCH_DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"


def bench_app():
    return create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url()})


def drop_kept_figures(app) -> None:
    """Drop every kept figure (lms/reports/snapshots.py), so the next dashboard or figures
    page computes its figures: what a reader waits for when they are new or stale."""
    from lms.reports.models import FigureSnapshot
    with app.app_context():
        db.session.execute(FigureSnapshot.__table__.delete())
        db.session.commit()


def _chunks(rows):
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def _insert(model, rows) -> int:
    for chunk in _chunks(rows):
        db.session.execute(insert(model), chunk)
    return len(rows)


def _when(rng, today, days=3 * 365):
    return today - timedelta(days=rng.randrange(days))


def _stamp(day):
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def build(app, scale: float, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    n = {key: max(2, round(value * scale)) for key, value in FULL.items()}
    today = clock.today()
    now = clock.utcnow()
    counts = {}
    with app.app_context():
        flask_migrate.upgrade()
        if db.session.scalar(select(User.id).where(User.username == "national.admin")):
            raise SystemExit("This database already holds a national data set: give an empty "
                             "one (the default SQLite file is rebuilt on each run).")
        # scheme sizes: a long tail, as in life (a few big prison and probation schemes)
        sectors, regions = list(Sector), list(REGIONS)
        schemes = [{"name": f"National scheme {k:03d}", "slug": f"national-{k:03d}",
                    "sector": sectors[k % len(sectors)], "region": regions[k % len(regions)],
                    "created_at": now} for k in range(n["schemes"])]
        counts["schemes"] = _insert(Scheme, schemes)
        scheme_ids = db.session.scalars(select(Scheme.id).where(
            Scheme.slug.like("national-%")).order_by(Scheme.slug)).all()
        weights = [1 / (k + 1) ** 0.8 for k in range(len(scheme_ids))]

        admin = User(username="national.admin", display_name="National Admin", is_admin=True)
        lead = User(username="national.lead", display_name="National Lead")
        for user in (admin, lead):
            auth_services.set_password(user, PASSWORD)
        lead.memberships += [Membership(scheme_id=scheme_ids[0], role=Role.LEAD),
                             Membership(scheme_id=scheme_ids[0], role=Role.SUPERVISOR)]
        db.session.add_all([admin, lead])
        db.session.flush()

        people = [{"username": f"n{k:06d}",
                   "display_name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {k}",
                   "email": f"n{k:06d}@example.org", "active": rng.random() < .95,
                   "is_admin": False, "is_assessor": False,
                   "listed_publicly": rng.random() < .6, "preferred_language": "en",
                   "created_at": _stamp(_when(rng, today))} for k in range(n["users"])]
        counts["users"] = _insert(User, people) + 2
        ids = db.session.scalars(select(User.id).where(User.username.like("n%"))
                                 .order_by(User.id)).all()
        home = dict(zip(ids, rng.choices(scheme_ids, weights=weights, k=len(ids)), strict=True))
        roles = [Role.TRAINEE] * 80 + [Role.TRAINER] * 8 + [Role.SUPERVISOR] * 10 + [Role.LEAD]
        counts["memberships"] = _insert(Membership, [
            {"user_id": uid, "scheme_id": home[uid], "role": rng.choice(roles),
             "created_at": now} for uid in ids]) + 2

        course_ids, hashes = _courses()
        # each enrolment has done 1 to all lessons, (LESSONS_PER_COURSE + 1) / 2 on average
        enrolment_count = min(len(ids) * len(course_ids) // 2,
                              round(n["completions"] * 2 / (LESSONS_PER_COURSE + 1)))
        pairs = set()
        while len(pairs) < enrolment_count:
            pairs.add((rng.choice(ids), rng.choice(course_ids)))
        counts["enrolments"] = _insert(Enrolment, [
            {"user_id": u, "course_id": c, "scheme_id": home[u],
             "enrolled_at": _stamp(_when(rng, today)),
             "started_at": now,  # every enrolment below has done at least one lesson
             "completed_at": now if rng.random() < .35 else None} for u, c in sorted(pairs)])
        enrolments = db.session.execute(select(Enrolment.id, Enrolment.course_id)).all()
        completions = []
        for enrolment_id, course_id in enrolments:
            done = rng.randint(1, LESSONS_PER_COURSE)
            completions += [{"enrolment_id": enrolment_id, "lesson_hash": h,
                             "completed_at": _stamp(_when(rng, today))}
                            for h in hashes[course_id][:done]]
        counts["lesson_completions"] = _insert(LessonCompletion, completions)
        del completions

        sector_of = {sid: schemes[k]["sector"].value for k, sid in enumerate(scheme_ids)}
        practitioners = rng.sample(ids, k=max(1, len(ids) * 2 // 5))
        kinds, harms = list(PROCESS_TYPES), list(HARM_CATEGORIES)
        practice = []
        for k in range(n["practice"]):
            author = rng.choice(practitioners)
            occurred = _when(rng, today)
            status = rng.choice(PRACTICE_STATUSES)
            practice.append({
                "author_id": author, "case_code": f"RJ-N-{k:07d}", "scheme_id": home[author],
                "occurred_on": occurred, "sector": sector_of[home[author]],
                "process_type": rng.choice(kinds),
                "direct": rng.random() < .7, "face_to_face": rng.random() < .6,
                "sensitive": rng.random() < .1, "harm_category": rng.choice(harms),
                "practitioner_role": "lead", "stages": ["delivery"], "reflection": "",
                "created_at": _stamp(occurred), "status": status, "version": 1,
                "requested_at": _stamp(occurred) if status == "awaiting sign-off" else None})
        # the lead's own scheme always has a sign-off queue to look at
        for row in practice[:50]:
            row.update(status="awaiting sign-off", requested_at=now)
        counts["practice_records"] = _insert(PracticeRecord, practice)

        supervisors = [uid for uid in ids if rng.random() < .1] or ids[:1]
        sessions = []
        for _ in range(n["supervision"]):
            practitioner = rng.choice(practitioners)
            sessions.append({
                "supervisor_id": rng.choice(supervisors), "practitioner_id": practitioner,
                "scheme_id": home[practitioner], "held_on": _when(rng, today),
                "duration_minutes": 60, "notes": "", "created_at": now, "version": 1,
                "supervisor_confirmed_at": now,
                "practitioner_confirmed_at": now if rng.random() < .85 else None})
        counts["supervision_sessions"] = _insert(SupervisionSession, sessions)

        version = StandardVersion(content_hash="n" * 64, levels={})
        db.session.add(version)
        db.session.flush()
        names = {u: d for u, d in db.session.execute(
            select(User.id, User.display_name).where(User.username.like("n%")))}
        holders = rng.sample(ids, k=min(len(ids), n["accreditation"]))
        records = []
        for holder in holders:
            issued = _when(rng, today)
            level = rng.choice([("foundation", "Foundation practitioner"),
                                ("practitioner", "Accredited practitioner"),
                                ("advanced", "Advanced practitioner")])
            records.append({
                "public_id": _public_id(rng),
                "holder_id": holder, "holder_name": names[holder], "level_key": level[0],
                "level_name": level[1], "standard_version_id": version.id,
                "scheme_id": home[holder], "issued_on": issued, "valid_from": issued,
                "expires_on": issued + timedelta(days=3 * 365),
                "status": rng.choice(RECORD_STATUSES), "decision": {}, "version": 1,
                "created_at": _stamp(issued)})
        counts["accreditation_records"] = _insert(AccreditationRecord, records)
        counts |= add_processes(scale, today)
        db.session.commit()
        db.engine.dispose()
    return counts


def _public_id(rng) -> str:
    raw = "".join(rng.choice(ID_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def _courses():
    course_ids, hashes = [], {}
    for k in range(COURSES):
        course = Course(slug=f"national-{k}")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(course_id=course.id, number=1, content_hash=f"{k}" * 64,
                                title=f"National course {k}", summary="",
                                pathway_stage="foundation",
                                prerequisites=[], estimated_hours=1, pass_mark=80,
                                max_attempts=None, live_required=False, live_hours=0)
        db.session.add(version)
        db.session.flush()
        course.current_version_id = version.id
        course_ids.append(course.id)
        hashes[course.id] = [f"{k:02d}{lesson:02d}".ljust(64, "a")
                             for lesson in range(LESSONS_PER_COURSE)]
    return course_ids, hashes


TRAINEE = "national.trainee"


def add_trainee(app, seed: int = 11) -> dict[str, int]:
    """The learner pages' sign-in: `national.trainee`, a trainee of the largest scheme, with
    the course catalogue from courses/ loaded, one course completed, one part-way (its first
    module's check passed), one just begun, 40 practice records and supervision every six
    weeks for two years. Does nothing when the trainee is already there."""
    from lms.demo.learning import _ensure_enrolment  # the demo's enrolment with progress
    from lms.learning.loader import load_from
    from lms.yaml_files import default_courses_path

    rng = random.Random(seed)
    today, now = clock.today(), clock.utcnow()
    with app.app_context():
        if db.session.scalar(select(User.id).where(User.username == TRAINEE)):
            return {}
        if load_from(default_courses_path())[1]:
            raise SystemExit("courses/ has problems: run `flask --app lms courses check`")
        scheme = db.session.scalars(select(Scheme).where(Scheme.slug.like("national-%"))
                                    .order_by(Scheme.slug)).first()
        lead_id = db.session.scalar(select(User.id).where(User.username == "national.lead"))
        if scheme is None or lead_id is None:
            raise SystemExit("no national data set here: run bench/national.py first")
        trainee = User(username=TRAINEE, display_name="National Trainee")
        auth_services.set_password(trainee, PASSWORD)
        trainee.memberships.append(Membership(scheme_id=scheme.id, role=Role.TRAINEE))
        db.session.add(trainee)
        db.session.flush()
        courses = {c.slug: c for c in db.session.scalars(select(Course))}
        for slug, how_far, days_ago in (("foundation", "done", 700), ("facilitator", 9, 300),
                                        ("sensitive-complex", 2, 20)):
            _ensure_enrolment(trainee, courses[slug], how_far, days_ago)
        records = []
        for k in range(40):
            occurred = _when(rng, today, days=2 * 365)
            status = rng.choice(PRACTICE_STATUSES)
            records.append({
                "author_id": trainee.id, "case_code": f"RJ-T-{k:07d}", "scheme_id": scheme.id,
                "occurred_on": occurred, "sector": scheme.sector.value,
                "process_type": rng.choice(list(PROCESS_TYPES)), "direct": rng.random() < .7,
                "face_to_face": rng.random() < .6, "sensitive": rng.random() < .1,
                "harm_category": rng.choice(list(HARM_CATEGORIES)),
                "practitioner_role": rng.choice(["lead", "co_facilitator"]),
                "stages": ["preparation", "delivery"], "reflection": "What went well.",
                "created_at": _stamp(occurred), "status": status, "version": 1,
                "supervisor_id": lead_id if status == "signed off" else None,
                "requested_at": _stamp(occurred) if status == "awaiting sign-off" else None})
        sessions = [{"supervisor_id": lead_id, "practitioner_id": trainee.id,
                     "scheme_id": scheme.id, "held_on": today - timedelta(weeks=weeks),
                     "duration_minutes": 60, "notes": "", "created_at": now, "version": 1,
                     "supervisor_confirmed_at": now, "practitioner_confirmed_at": now}
                    for weeks in range(1, 104, 6)]
        counts = {"trainee practice": _insert(PracticeRecord, records),
                  "trainee supervision": _insert(SupervisionSession, sessions)}
        db.session.commit()
        db.engine.dispose()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if not os.environ.get("LMS_BENCH_DATABASE_URL"):
        DEFAULT_DB.unlink(missing_ok=True)
    started = time.perf_counter()
    app = bench_app()
    counts = build(app, args.scale)
    counts.update(add_trainee(app))
    print(f"built at scale {args.scale} into {database_url()} "
          f"in {time.perf_counter() - started:.1f} s:")
    for table, rows in counts.items():
        print(f"  {table:24} {rows:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
