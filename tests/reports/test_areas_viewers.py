"""Viewers: read-only figures for an area, a sector, a list of schemes or the nation; who
grants them; and the case text they must never reach."""

import pytest
from sqlalchemy import select

from lms.accreditation.models import Application
from lms.areas.models import ViewerScope
from lms.auth.models import User
from lms.extensions import db
from lms.practice.models import PracticeRecord, SupervisionSession
from lms.schemes.models import Scheme
from tests.helpers import csrf_token_from, login_as

FIGURES = "/reports/areas/figures"


def place(app, scheme, force_code, authority=None):
    with app.app_context():
        found = db.session.get(Scheme, scheme.id)
        found.police_force_code, found.local_authority_code = force_code, authority
        db.session.commit()


def grant(app, user, kind, **target):
    with app.app_context():
        db.session.add(ViewerScope(user_id=user.id, kind=kind, **target))
        db.session.commit()


@pytest.fixture
def placed(app, known_scheme):
    """Scheme A (prison) in South Wales, scheme B (school) in the Metropolitan Police area."""
    place(app, known_scheme.a, "W15000003", "W06000015")
    place(app, known_scheme.b, "E23000001")
    return known_scheme


@pytest.fixture
def viewer(app, make_user):
    def make(kind, **target):
        user = make_user()
        grant(app, user, kind, **target)
        return user
    return make


def _figures(client):
    response = client.get(FIGURES)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_area_viewer_sees_only_the_schemes_in_their_area(app, placed, viewer):
    page = _figures(login_as(app, viewer("area", force_code="W15000003")))
    assert "2 accredited practitioners" in page  # p1 active, p2 expiring; p3 lapsed
    assert "Scheme A" in page
    assert "Scheme B" not in page


def test_a_sector_viewer_sees_only_that_sector(app, placed, viewer):
    page = _figures(login_as(app, viewer("sector", sector="school")))
    assert "1 accredited practitioner" in page
    assert "Scheme B" in page
    assert "Scheme A" not in page


def test_a_scheme_list_viewer_sees_only_those_schemes(app, placed, viewer):
    page = _figures(login_as(app, viewer("scheme", scheme_id=placed.b.id)))
    assert "Scheme B" in page
    assert "Scheme A" not in page


def test_a_national_viewer_and_an_admin_see_every_scheme(app, placed, viewer, make_user):
    for person in (viewer("national"), make_user(is_admin=True)):
        page = _figures(login_as(app, person))
        assert "3 accredited practitioners" in page
        assert "Scheme A" in page
        assert "Scheme B" in page


def test_grouping_by_area_and_narrowing_to_one(app, placed, viewer):
    client = login_as(app, viewer("national"))
    page = client.get(FIGURES + "?group=area").get_data(as_text=True)
    assert "South Wales" in page
    assert "Metropolitan Police" in page
    page = client.get(FIGURES + "?area=E23000001").get_data(as_text=True)
    assert "1 accredited practitioner" in page
    assert "Scheme A" not in page


def test_narrowing_never_widens_a_viewers_scope(app, placed, viewer):
    client = login_as(app, viewer("area", force_code="W15000003"))
    page = client.get(FIGURES + "?area=E23000001").get_data(as_text=True)
    assert "0 accredited practitioners" in page
    assert "Scheme B" not in page


def test_people_without_a_scope_are_refused(app, placed, make_user):
    trainee = login_as(app, placed.p1)
    assert trainee.get(FIGURES).status_code == 403
    assert trainee.get("/reports/areas/coverage").status_code == 403
    assert login_as(app, make_user()).get("/reports/areas/coverage.csv").status_code == 403


def test_a_viewers_home_is_their_figures(app, placed, viewer):
    response = login_as(app, viewer("area", force_code="W15000003")).get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == FIGURES


def test_a_viewer_never_reaches_case_text(app, placed, viewer):
    with app.app_context():
        record_id = db.session.scalar(select(PracticeRecord.id).where(
            PracticeRecord.scheme_id == placed.a.id).limit(1))
        waiting_id = db.session.scalar(select(PracticeRecord.id).where(
            PracticeRecord.status == "awaiting sign-off"))
        session_id = db.session.scalar(select(SupervisionSession.id).limit(1))
        application_id = db.session.scalar(select(Application.id))
    case_urls = [
        f"/practice/{record_id}", f"/practice/{record_id}/edit",
        f"/practice/{waiting_id}/assess", "/supervision/queue", f"/supervision/{session_id}",
        f"/accreditation/applications/{application_id}", "/accreditation/applications/",
        "/reports/schemes/scheme-a", "/reports/schemes/scheme-a/practitioners",
        "/reports/schemes/scheme-a/export/waiting.csv", f"/people/{placed.p1.id}",
        f"/accreditation/pathway/{placed.p1.id}",
    ]
    for person in (viewer("area", force_code="W15000003"), viewer("national")):
        client = login_as(app, person)
        for url in case_urls:
            status = client.get(url).status_code
            assert status in (403, 404), f"{url} gave a viewer {status}"
        for url in (FIGURES, "/reports/areas/coverage"):
            assert "RJ-R-" not in client.get(url).get_data(as_text=True)  # no case codes


def test_an_admin_grants_and_revokes_a_viewer(app, client, placed, make_user):
    person = make_user("pcc.office", display_name="PCC Office")
    login_as(client, make_user(is_admin=True))
    token = csrf_token_from(client.get("/areas/viewers").get_data(as_text=True))
    response = client.post("/areas/viewers/grant", data={
        "csrf_token": token, "username": "pcc.office", "kind": "area", "force_code": ""})
    assert response.status_code == 400
    assert "Choose the police force area." in response.get_data(as_text=True)
    response = client.post("/areas/viewers/grant", data={
        "csrf_token": token, "username": "pcc.office", "kind": "area",
        "force_code": "W15000003"})
    assert response.status_code == 302
    with app.app_context():
        scope = db.session.scalar(select(ViewerScope).where(ViewerScope.user_id == person.id))
        assert (scope.kind, scope.force_code) == ("area", "W15000003")
        scope_id = scope.id
    viewer_client = login_as(app, person)
    assert "Scheme A" in _figures(viewer_client)
    client.post(f"/areas/viewers/{scope_id}/revoke", data={"csrf_token": token})
    assert viewer_client.get(FIGURES).status_code == 403


def test_only_admins_manage_viewers(app, placed, viewer):
    client = login_as(app, viewer("national"))
    assert client.get("/areas/viewers").status_code == 403
    assert login_as(app, placed.lead).get("/areas/viewers").status_code == 403


def test_a_lead_sees_figures_for_the_schemes_they_lead(app, placed):
    page = _figures(login_as(app, placed.lead))
    assert "Scheme A" in page
    assert "Scheme B" not in page


def test_erasing_a_viewers_account_removes_their_scopes(app, placed, viewer):
    person = viewer("national")
    with app.app_context():
        db.session.delete(db.session.get(User, person.id))
        db.session.commit()
        assert db.session.scalar(select(ViewerScope.id)) is None


def test_the_demo_places_its_schemes_and_has_a_pcc_viewer(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load"]).exit_code == 0  # the viewer is not doubled
    with app.app_context():
        areas = dict(db.session.execute(select(Scheme.slug, Scheme.police_force_code)).all())
        scopes = db.session.execute(select(ViewerScope.kind, ViewerScope.force_code)).all()
    assert areas == {"hmp-northfield": "E23000003", "riverside-schools": "W15000003",
                     "greenway-homes": "E23000009", "st-cuthberts-health": "E23000013",
                     "pre-sentence-rj": "E23000016", "valeshire-police": "E23000036",
                     "eastgate-neighbourhood": "E23000023"}
    assert scopes == [("area", "W15000003")]
    client = app.test_client()
    client.post("/login", data={"username": "pcc.viewer", "password": "restorative-demo"})
    page = client.get(FIGURES).get_data(as_text=True)
    assert "Riverside Schools Trust" in page
    assert "HMP Northfield" not in page


def test_a_viewer_sees_who_is_accredited_in_their_scope(app, placed, viewer):
    with app.app_context():
        names = dict(db.session.execute(select(User.id, User.display_name)).all())
    page = login_as(app, viewer("area", force_code="W15000003")).get(
        "/reports/areas/accredited").get_data(as_text=True)
    assert "2 accreditations" in page
    assert "Foundation practitioner" in page
    assert names[placed.outsider.id] not in page  # scheme B is outside the area
