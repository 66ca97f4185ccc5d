"""Schemes placed in police force areas; the kind of person, set by leads and by CSV
import, and counted in the training figures."""

import html
import io
from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.schemes.models import Scheme
from tests.helpers import login_as
from tests.reports.test_areas_viewers import FIGURES, grant

NEW = {"name": "Gwent Youth RJ", "slug": "gwent-youth", "sector": "youth justice",
       "region": "Wales"}


def _scheme(app, slug):
    with app.app_context():
        return db.session.scalar(select(Scheme).where(Scheme.slug == slug))


def test_a_new_scheme_needs_a_police_force_area(app, client, make_user):
    login_as(client, make_user(is_admin=True))
    response = client.post("/schemes/new", data=NEW)
    assert response.status_code == 200
    assert "Choose the police force area the scheme serves." in response.get_data(as_text=True)
    response = client.post("/schemes/new", data={**NEW, "police_force_code": "W15000002",
                                                  "local_authority_code": "W06000022"})
    assert response.status_code == 302
    scheme = _scheme(app, "gwent-youth")
    assert (scheme.police_force_code, scheme.local_authority_code) == ("W15000002", "W06000022")
    page = client.get("/schemes/gwent-youth").get_data(as_text=True)
    assert "Gwent" in page
    assert "Newport" in page


def test_the_local_authority_must_lie_in_the_chosen_area(app, client, make_user):
    login_as(client, make_user(is_admin=True))
    response = client.post("/schemes/new", data={**NEW, "police_force_code": "W15000002",
                                                  "local_authority_code": "W06000015"})
    assert "That local authority is in another police force area." in response.get_data(
        as_text=True)
    assert _scheme(app, "gwent-youth") is None


def test_an_existing_scheme_without_an_area_can_still_be_edited(app, client, make_user,
                                                                make_scheme):
    scheme = make_scheme(slug="old-scheme", name="Old scheme")
    login_as(client, make_user(is_admin=True))
    response = client.post("/schemes/old-scheme/edit", data={
        "name": "Old scheme renamed", "slug": "old-scheme", "sector": "prison",
        "region": "London"})
    assert response.status_code == 302
    found = _scheme(app, "old-scheme")
    assert found.name == "Old scheme renamed"
    assert found.police_force_code is None
    assert found.id == scheme.id


def test_a_lead_records_the_kind_of_person(app, client, known_scheme):
    login_as(client, known_scheme.lead)
    page = client.get(f"/people/{known_scheme.p1.id}").get_data(as_text=True)
    assert "Kind of person" in page
    assert "Not recorded" in page
    response = client.post(f"/people/{known_scheme.p1.id}/kind", data={"kind": "prisoner"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, known_scheme.p1.id).person_kind == "prisoner"
    assert client.post(f"/people/{known_scheme.outsider.id}/kind",
                       data={"kind": "pupil"}).status_code == 404  # not their scheme


def test_csv_import_sets_the_kind_of_person(app, client, known_scheme):
    login_as(client, known_scheme.lead)
    text = ("username,display_name,email,role,scheme,kind\n"
            "kim.p,Kim P,,trainee,scheme-a,Pupil\n"
            "lee.s,Lee S,,trainee,scheme-a,\n")
    page = client.post("/people/import", data={"file": (io.BytesIO(text.encode()), "p.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "All 2 rows are ready" in page
    content = html.unescape(page.split('name="content" type="hidden" value="')[1].split('"')[0])
    client.post("/people/import/confirm", data={"content": content})
    with app.app_context():
        kinds = dict(db.session.execute(select(User.username, User.person_kind).where(
            User.username.in_(["kim.p", "lee.s"]))).all())
    assert kinds == {"kim.p": "pupil", "lee.s": None}


def test_csv_import_refuses_an_unknown_kind(client, known_scheme):
    login_as(client, known_scheme.lead)
    text = "username,display_name,email,role,scheme,kind\nkim.p,Kim P,,trainee,scheme-a,boss\n"
    page = client.post("/people/import", data={"file": (io.BytesIO(text.encode()), "p.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Unknown kind of person “boss”: use one of staff, volunteer, prisoner, pupil" in page


def test_people_trained_are_counted_by_course_and_kind(app, known_scheme, make_user):
    """Course X: p1 (a prisoner) completed this month; p2 completes too long ago to count."""
    with app.app_context():
        db.session.get(User, known_scheme.p1.id).person_kind = "prisoner"
        old = db.session.scalar(select(Enrolment).where(Enrolment.user_id == known_scheme.p2.id))
        old.completed_at = clock.utcnow() - timedelta(days=2000)
        db.session.commit()
    viewer = make_user()
    grant(app, viewer, "national")
    page = login_as(app, viewer).get(FIGURES).get_data(as_text=True)
    trained = page[page.index('id="trained"'):page.index('id="by-group"')]
    assert "Definition: course completions between" in trained
    cells = trained[trained.index("<th scope=\"row\">Course X</th>"):].split("</tr>")[0]
    # staff, volunteer, prisoner, pupil, not recorded, total
    assert cells.count('<td class="num">') == 6
    assert [c.split("<")[0] for c in cells.split('<td class="num">')[1:]] == [
        "0", "0", "1", "0", "0", "1"]
