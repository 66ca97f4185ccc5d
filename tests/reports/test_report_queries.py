from datetime import timedelta

from lms import clock
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.practice.models import SupervisionSession
from lms.schemes.models import Membership, Role
from tests.helpers import forget_kept_figures, login_as
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


def _grow_elsewhere(app, scheme, n):
    """`n` practitioners in another scheme, each with practice and a supervision long ago."""
    with app.app_context():
        for k in range(n):
            user = User(username=f"far{k}", display_name=f"Far {k}")
            user.memberships.append(Membership(scheme_id=scheme.id, role=Role.TRAINEE))
            db.session.add(user)
            db.session.flush()
            db.session.add(practice(user, scheme))
            db.session.add(SupervisionSession(
                supervisor_id=user.id, practitioner_id=user.id, scheme_id=scheme.id,
                held_on=clock.today() - timedelta(days=400), duration_minutes=60,
                supervisor_confirmed_at=clock.utcnow(), practitioner_confirmed_at=clock.utcnow()))
        db.session.commit()


def test_dashboard_overdue_supervision_looks_only_at_the_schemes_practitioners(
        app, known_scheme, count_queries):
    lead = login_as(app, known_scheme.lead)

    def measure():
        forget_kept_figures(app)
        with count_queries() as counter:
            page = lead.get("/reports/schemes/scheme-a").get_data(as_text=True)
        return counter, page

    small, page = measure()
    assert '<span class="tile-count">2</span>' in page
    _grow_elsewhere(app, known_scheme.b, 40)
    grown, page = measure()
    assert grown.count == small.count
    assert '<span class="tile-count">2</span>' in page
    overdue = [s for s in grown.statements if "max(supervision_sessions.held_on)" in s]
    assert overdue
    # each of the scope's practitioners is looked up; no aggregate over the whole country
    assert all("GROUP BY supervision_sessions.practitioner_id" not in s for s in overdue)


def _row(page, name):
    """The figures of the overview row headed `name`: members, accredited, expiring,
    enrolled, completed, processes."""
    import re
    cells = page.split(f'<th scope="row">{name}</th>')[1].split("</tr>")[0]
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]


def test_admin_page_counts_sectors_from_schemes_and_people_once(app, make_scheme, make_user,
                                                                 count_queries):
    from lms.schemes.models import Sector
    north = make_scheme(name="North prison", sector=Sector.PRISON)
    south = make_scheme(name="South prison", sector=Sector.PRISON)
    school = make_scheme(name="Only school", sector=Sector.SCHOOL)
    # one person in both prison schemes, one in each, one in the school
    make_user(roles=[(north, "trainee"), (south, "supervisor")])
    make_user(role="trainee", scheme=north)
    make_user(role="trainee", scheme=south)
    make_user(role="trainee", scheme=school)
    admin = login_as(app, make_user(is_admin=True))

    def page():
        forget_kept_figures(app)
        with count_queries() as counter:
            text = admin.get("/reports/admin").get_data(as_text=True)
        return text, counter.count

    text, queries = page()
    assert _row(text, "North prison")[0] == 2
    assert _row(text, "South prison")[0] == 2
    assert _row(text, "prison")[0] == 3  # the person in both schemes is one member
    assert _row(text, "school")[0] == 1
    assert queries <= 18  # computing: 17, and the look for kept figures
    for k in range(5):
        make_user(role="trainee", scheme=[north, south, school][k % 3])
    text, more = page()
    assert more == queries
    assert _row(text, "prison")[0] == 7
