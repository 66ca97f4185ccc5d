"""The learner's dashboard: my courses with progress and next step, my sessions."""

import functools
from datetime import datetime
from typing import cast

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager

from lms import access
from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment
from lms.learning.progress import progress_for
from lms.learning.sessions import booked_sessions_of

bp = Blueprint("home", __name__)


def my_learning(user):
    """(courses in progress, completed courses newest first), each a CourseProgress."""
    rows = db.session.execute(_enrolments_statement(), {"user": user.id}).all()
    progress = progress_for([enrolment for enrolment, _version in rows],
                            {enrolment.course_id: version for enrolment, version in rows})
    current = [p for p in progress.values() if p.enrolment.completed_at is None]
    done = sorted((p for p in progress.values() if p.enrolment.completed_at is not None),
                  key=lambda p: cast(datetime, p.enrolment.completed_at), reverse=True)
    return current, done


@functools.cache  # built once: the learner's two home pages run it on every view
def _enrolments_statement():
    """Each enrolment of a person with its course and the course's current version."""
    return (select(Enrolment, CourseVersion).join(Enrolment.course)
            .join(CourseVersion, Course.current_version_id == CourseVersion.id)
            .where(Enrolment.user_id == bindparam("user"))
            .options(contains_eager(Enrolment.course))
            .order_by(Enrolment.enrolled_at))


@bp.route("/learning/")
@access.signed_in
def index():
    current, done = my_learning(current_user)
    return render_template("learning/dashboard.html", current=current, done=done,
                           sessions=booked_sessions_of(current_user))
