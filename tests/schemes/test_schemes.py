from sqlalchemy import func, select

from lms.extensions import db
from lms.schemes.models import Scheme, Sector
from tests.helpers import login_as

VALID = {"name": "Eastgate Housing", "slug": "eastgate-housing", "sector": "housing",
         "region": "London", "police_force_code": "E23000001"}


def test_admin_creates_and_edits_a_scheme(client, app, make_user):
    login_as(client, make_user(is_admin=True))
    response = client.post("/schemes/new", data=VALID)
    assert response.headers["Location"] == "/schemes/eastgate-housing"
    page = client.get("/schemes/eastgate-housing")
    assert b"Eastgate Housing" in page.data
    assert b"Housing" in page.data
    response = client.post("/schemes/eastgate-housing/edit", data={**VALID, "region": "Wales",
                                                                    "sector": "community"})
    assert response.status_code == 302
    with app.app_context():
        scheme = db.session.scalar(select(Scheme))
        assert (scheme.region, scheme.sector) == ("Wales", Sector.COMMUNITY)


def test_scheme_form_errors_keep_input(client, app, make_user, make_scheme):
    make_scheme(name="Taken Name", slug="taken")
    login_as(client, make_user(is_admin=True))
    response = client.post("/schemes/new", data={**VALID, "name": "taken name",
                                                 "slug": "Bad Slug!"})
    assert response.status_code == 200
    assert b"Another scheme already has this name." in response.data
    assert b"Use only lowercase letters, digits and single hyphens." in response.data
    assert b'value="taken name"' in response.data
    response = client.post("/schemes/new", data={**VALID, "sector": "spaceship"})
    assert b"Not a valid choice" in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Scheme)) == 1


def test_only_admins_create_schemes(client, make_user, make_scheme):
    scheme = make_scheme()
    login_as(client, make_user(role="lead", scheme=scheme))
    assert client.get("/schemes/new").status_code == 403
    assert client.post("/schemes/new", data=VALID).status_code == 403
    assert client.post(f"/schemes/{scheme.slug}/edit", data=VALID).status_code == 403


def test_members_see_their_scheme_and_not_others(client, make_user, make_scheme):
    mine, other = make_scheme(name="Mine"), make_scheme(name="Other")
    login_as(client, make_user(role="trainee", scheme=mine))
    listing = client.get("/schemes/")
    assert b"Mine" in listing.data
    assert b"Other" not in listing.data
    assert client.get(f"/schemes/{mine.slug}").status_code == 200
    assert client.get(f"/schemes/{other.slug}").status_code == 404
    assert client.get("/schemes/no-such-scheme").status_code == 404


def test_lead_sees_staff_and_counts(client, make_user, make_scheme):
    scheme = make_scheme()
    lead = make_user(role="lead", scheme=scheme, display_name="Lead Person")
    make_user(role="supervisor", scheme=scheme, display_name="Super Visor")
    make_user(role="trainee", scheme=scheme, display_name="Trainee Person")
    login_as(client, lead)
    page = client.get(f"/schemes/{scheme.slug}").get_data(as_text=True)
    assert "Super Visor" in page
    assert "Lead Person" in page
    assert "Trainee Person" not in page  # trainees are listed on the paginated people page
    assert "<dt>Trainees</dt><dd>1</dd>" in page


def test_wtforms_own_messages_follow_the_page_language(client, make_user):
    """WTForms' catalogue is read once per language (lms.forms), still per request's
    language: English, then Welsh, then English again in the same process."""
    admin = make_user(is_admin=True)
    login_as(client, admin)
    bad = {**VALID, "sector": "spaceship"}
    assert b"Not a valid choice" in client.post("/schemes/new", data=bad).data
    client.post("/language", data={"language": "cy", "next": "/"})
    assert "Nid yw hwn yn ddewis dilys" in client.post("/schemes/new", data=bad).get_data(
        as_text=True)
    client.post("/language", data={"language": "en", "next": "/"})
    assert b"Not a valid choice" in client.post("/schemes/new", data=bad).data
