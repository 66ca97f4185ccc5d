"""What bench/load.py serves under gunicorn: the product app as production builds it (rate
limits out of reach, so eight users behind one proxy are not refused), and beside it, under /_bare,
a bare Flask app whose routes each run one page's main indexed query and return its rows
as JSON: no session, no templates, no hooks. Every page is measured against its bare route
in the same run, so the ratio says how far the page is from the cost of its query.

gunicorn: `bench.load_app:create()` (bench/load.py starts it; never part of the product)."""

import csv
import io

from flask import Flask, Response, jsonify, request
from sqlalchemy import and_, func, select
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from bench.national import database_url
from lms import create_app
from lms.accreditation import register as register_query
from lms.accreditation.models import VALID_STATUSES, AccreditationRecord
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import (
    Course,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonCompletion,
    Module,
    Question,
)
from lms.practice.models import PracticeRecord, PracticeStatus
from lms.schemes.models import Membership, Scheme

BARE = "/_bare"


def create() -> Flask:
    # Limits still counted (as in production) but out of reach of eight users from one
    # proxy; RATELIMIT_ENABLED=False would leave the sign-in throttle without its store.
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(),
                      **{f"{limit}_RATE_LIMIT": "1000000 per minute"
                         for limit in ("LOGIN", "REGISTER", "RESET_LINK", "BULK_CHECK")}})
    app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, {BARE: bare_app(app.config["SQLALCHEMY_ENGINE_OPTIONS"])})
    return app


def _rows(statement) -> Response:
    return jsonify([[str(value) for value in row] for row in db.session.execute(statement)])


def _arg(name: str) -> str:
    return request.args.get(name, "")


def _int(name: str) -> int:
    return int(request.args[name])


def _course_version(slug: str):
    return (select(CourseVersion.id).join(Course, Course.current_version_id == CourseVersion.id)
            .where(Course.slug == slug).scalar_subquery())


def bare_app(engine_options: dict) -> Flask:
    """The bare routes; the same database and engine options as the product, nothing else."""
    bare = Flask("bench_bare")
    bare.config.update(SQLALCHEMY_DATABASE_URI=database_url(),
                       SQLALCHEMY_ENGINE_OPTIONS=engine_options)
    db.init_app(bare)

    @bare.get("/home")
    def home():  # the learner's enrolments with their lessons done
        return _rows(select(Enrolment.id, CourseVersion.title, Enrolment.completed_at,
                            func.count(LessonCompletion.id))
                     .join(Course, Course.id == Enrolment.course_id)
                     .join(CourseVersion, CourseVersion.id == Course.current_version_id)
                     .outerjoin(LessonCompletion, LessonCompletion.enrolment_id == Enrolment.id)
                     .where(Enrolment.user_id == _int("user"))
                     .group_by(Enrolment.id, CourseVersion.title, Enrolment.completed_at)
                     .order_by(Enrolment.id))

    @bare.get("/course")
    def course():  # the course's modules and lessons
        return _rows(select(Module.slug, Module.title, Lesson.slug, Lesson.title)
                     .join(Lesson, Lesson.module_id == Module.id)
                     .where(Module.version_id == _course_version(_arg("course")))
                     .order_by(Module.order, Lesson.order))

    @bare.get("/lesson")
    def lesson():  # the lesson's rendered body
        return _rows(select(Lesson.title, Lesson.body_html)
                     .join(Module, Module.id == Lesson.module_id)
                     .where(Module.version_id == _course_version(_arg("course")),
                            Module.slug == _arg("module"), Lesson.slug == _arg("lesson")))

    @bare.get("/check")
    def check():  # the module's questions
        return _rows(select(Question.prompt, Question.options)
                     .join(Module, Module.id == Question.module_id)
                     .where(Module.version_id == _course_version(_arg("course")),
                            Module.slug == _arg("module"))
                     .order_by(Question.order))

    @bare.get("/pathway")
    def pathway():  # signed-off practice by role and kind of process
        return _rows(select(PracticeRecord.practitioner_role, PracticeRecord.process_type,
                            func.count())
                     .where(PracticeRecord.author_id == _int("user"),
                            PracticeRecord.status == PracticeStatus.SIGNED_OFF)
                     .group_by(PracticeRecord.practitioner_role, PracticeRecord.process_type))

    @bare.get("/practice")
    def practice():  # the first page of the practice log
        return _rows(select(PracticeRecord.id, PracticeRecord.case_code,
                            PracticeRecord.occurred_on, PracticeRecord.status)
                     .where(PracticeRecord.author_id == _int("user"))
                     .order_by(PracticeRecord.occurred_on.desc(), PracticeRecord.id.desc())
                     .limit(20))

    @bare.get("/queue")
    def queue():  # the first page of records waiting for sign-off in the scheme
        return _rows(select(PracticeRecord.id, PracticeRecord.case_code, User.display_name)
                     .join(User, User.id == PracticeRecord.author_id)
                     .where(PracticeRecord.scheme_id == _int("scheme"),
                            PracticeRecord.status == PracticeStatus.AWAITING_SIGN_OFF)
                     .order_by(PracticeRecord.requested_at, PracticeRecord.id).limit(25))

    @bare.get("/dashboard")
    def dashboard():  # learners and completions by course in the scheme
        return _rows(select(Enrolment.course_id, func.count(), func.count(Enrolment.completed_at))
                     .where(Enrolment.scheme_id == _int("scheme"))
                     .group_by(Enrolment.course_id))

    @bare.get("/accredited")
    def accredited():  # the first page of who is accredited in the scheme
        return _rows(select(AccreditationRecord.holder_name, AccreditationRecord.level_name,
                            AccreditationRecord.expires_on)
                     .where(AccreditationRecord.scheme_id == _int("scheme"),
                            AccreditationRecord.status.in_(VALID_STATUSES))
                     .order_by(AccreditationRecord.holder_name, AccreditationRecord.id)
                     .limit(50))

    @bare.get("/people")
    def people():  # the first page of the scheme's people, by name
        return _rows(select(User.id, User.display_name, User.username)
                     .where(User.id.in_(select(Membership.user_id)
                                        .where(Membership.scheme_id == _int("scheme"))))
                     .order_by(User.display_name, User.id).limit(50))

    @bare.get("/admin")
    def admin():  # members by scheme and role, nationally
        return _rows(select(Membership.scheme_id, Membership.role, func.count())
                     .group_by(Membership.scheme_id, Membership.role))

    @bare.get("/register")
    def register():  # the register's own query (name or region), first page
        query = register_query.search(q=_arg("q"), region=_arg("region"))
        return _rows(query.with_only_columns(
            AccreditationRecord.public_id, AccreditationRecord.holder_name,
            AccreditationRecord.level_name, AccreditationRecord.status, Scheme.name,
            maintain_column_froms=True).limit(25))

    @bare.get("/verify")
    def verify():  # one record and its holder's listing, by certificate number
        return _rows(select(AccreditationRecord.holder_name, AccreditationRecord.level_name,
                            AccreditationRecord.status, AccreditationRecord.expires_on,
                            User.listed_publicly)
                     .join(User, User.id == AccreditationRecord.holder_id)
                     .where(AccreditationRecord.public_id == _arg("id")))

    @bare.get("/export")
    def export():  # every active member of the scheme with their valid records, as CSV
        out = io.StringIO()
        csv.writer(out).writerows(db.session.execute(
            select(User.display_name, User.username, AccreditationRecord.level_name,
                   AccreditationRecord.status, AccreditationRecord.expires_on)
            .outerjoin(AccreditationRecord, and_(
                AccreditationRecord.holder_id == User.id,
                AccreditationRecord.status.in_(VALID_STATUSES)))
            .where(User.id.in_(select(Membership.user_id)
                               .where(Membership.scheme_id == _int("scheme"))),
                   User.active.is_(True))
            .order_by(User.display_name, User.id)))
        return Response(out.getvalue(), mimetype="text/csv")

    @bare.get("/figures")
    def figures():  # accredited people by level, nationally
        return _rows(select(AccreditationRecord.level_key, func.count())
                     .where(AccreditationRecord.status.in_(VALID_STATUSES))
                     .group_by(AccreditationRecord.level_key))

    @bare.get("/coverage")
    def coverage():  # accredited people by police force area
        return _rows(select(Scheme.police_force_code, func.count())
                     .join(AccreditationRecord, and_(
                         AccreditationRecord.scheme_id == Scheme.id,
                         AccreditationRecord.status.in_(VALID_STATUSES)))
                     .group_by(Scheme.police_force_code))

    return bare
