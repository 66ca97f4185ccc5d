from datetime import timedelta

from lms import clock
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.schemes.models import Membership, Role
from tests.helpers import login_as
from tests.reports.conftest import practice


def _grow(app, scheme, course_id, n):
    with app.app_context():
        for k in range(n):
            user = User(username=f"grow{k}", display_name=f"Grown {k}")
            user.memberships.append(Membership(scheme_id=scheme.id, role=Role.TRAINEE))
            db.session.add(user)
            db.session.flush()
            db.session.add(practice(user, scheme, harm="theft",
                                    occurred=clock.today() - timedelta(days=k * 9)))
            db.session.add(practice(user, scheme, status="awaiting sign-off"))
            db.session.add(Enrolment(user_id=user.id, course_id=course_id, scheme_id=scheme.id))
        db.session.commit()


def test_dashboard_and_lists_use_a_fixed_number_of_queries(app, known_scheme, count_queries):
    lead = login_as(app, known_scheme.lead)
    urls = ["/reports/schemes/scheme-a", "/reports/schemes/scheme-a/practitioners",
            "/reports/schemes/scheme-a/practitioners?status=none"]

    def measure():
        counts = []
        for url in urls:
            with count_queries() as counter:
                assert lead.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    small = measure()
    _grow(app, known_scheme.a, known_scheme.course_id, 60)
    assert measure() == small
