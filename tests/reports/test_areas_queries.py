"""The figures pages cost the same number of queries however much data there is."""

from datetime import timedelta

from lms import clock
from lms.accreditation.models import StandardVersion
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.schemes.models import Membership, Role, Scheme, Sector
from tests.helpers import forget_kept_figures, login_as
from tests.reports.conftest import practice, record
from tests.reports.test_areas_viewers import grant, place

URLS = ["/reports/areas/figures", "/reports/areas/figures?group=area",
        "/reports/areas/figures?group=sector&sector=prison", "/reports/areas/coverage",
        "/reports/areas/coverage.csv", "/reports/areas/accredited"]
AREAS = ["E23000001", "E23000005", "W15000001", "W15000003", "E23000029"]


def _grow(app, course_id, n):
    """`n` schemes across five areas, each with a prisoner who completed a course, holds an
    accreditation and logged practice."""
    with app.app_context():
        version = db.session.query(StandardVersion).first()
        for k in range(n):
            scheme = Scheme(name=f"Grown {k}", slug=f"grown-{k}", region="Wales",
                            sector=list(Sector)[k % len(Sector)],
                            police_force_code=AREAS[k % len(AREAS)])
            user = User(username=f"grown{k}", display_name=f"Grown {k}",
                        person_kind=["staff", "prisoner", "pupil", None][k % 4])
            db.session.add_all([scheme, user])
            db.session.flush()
            user.memberships.append(Membership(scheme_id=scheme.id, role=Role.TRAINEE))
            db.session.add_all([
                Enrolment(user_id=user.id, course_id=course_id, scheme_id=scheme.id,
                          completed_at=clock.utcnow() - timedelta(days=k)),
                record(user, scheme, version, "foundation", "active", 100),
                practice(user, scheme)])
        db.session.commit()


def test_figures_pages_use_a_fixed_number_of_queries(app, known_scheme, make_user,
                                                     count_queries):
    place(app, known_scheme.a, "W15000003")
    national = make_user()
    grant(app, national, "national")
    area = make_user()
    grant(app, area, "area", force_code="W15000003")
    clients = [login_as(app, national), login_as(app, area), login_as(app, known_scheme.lead)]

    def measure():
        counts = []
        for client in clients:
            for url in URLS:
                forget_kept_figures(app)  # measure computing them, not reading them kept
                with count_queries() as counter:
                    assert client.get(url).status_code == 200, url
                counts.append(counter.count)
        return counts

    small = measure()
    _grow(app, known_scheme.course_id, 40)
    assert measure() == small
    assert max(small) <= 24  # sign-in and session checks and six process aggregates included
