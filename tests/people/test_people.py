import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Membership, Role
from tests.helpers import login_as


@pytest.fixture
def two_schemes(make_scheme, make_user):
    a, b = make_scheme(name="Scheme A"), make_scheme(name="Scheme B")
    return {"a": a, "b": b, "lead_a": make_user(role="lead", scheme=a),
            "lead_b": make_user(role="lead", scheme=b)}


def _user(app, username):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return user and (user.id, user.active, sorted((m.scheme_id, m.role.value)
                                                      for m in user.memberships))


def test_lead_creates_an_account_with_a_one_time_password(client, app, two_schemes):
    login_as(client, two_schemes["lead_a"])
    response = client.post("/people/new", data={
        "username": "New.Trainee", "display_name": "New Trainee", "email": "",
        "scheme": two_schemes["a"].id, "role": "trainee"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "shown only once" in page
    assert "new.trainee" in page
    assert response.headers["Cache-Control"] == "no-store"
    _user_id, active, roles = _user(app, "new.trainee")
    assert active
    assert roles == [(two_schemes["a"].id, "trainee")]
    otp = page.split("<code>")[1].split("</code>")[0]
    client.post("/logout")
    response = client.post("/login", data={"username": "new.trainee", "password": otp})
    assert response.headers["Location"] == "/account/password"


def test_create_account_errors_keep_input(client, app, two_schemes, make_user):
    make_user("taken", email="taken@example.org")
    login_as(client, two_schemes["lead_a"])
    response = client.post("/people/new", data={
        "username": "TAKEN", "display_name": "Someone", "email": "taken@example.org",
        "scheme": two_schemes["a"].id, "role": "trainee"})
    page = response.get_data(as_text=True)
    assert "That username is taken." in page
    assert "Another account already uses this email address." in page
    assert 'value="Someone"' in page
    response = client.post("/people/new", data={
        "username": "a b", "display_name": "", "scheme": two_schemes["a"].id, "role": "boss"})
    page = response.get_data(as_text=True)
    assert "Use 3 to 64 letters" in page
    assert "Enter the person&#39;s name." in page
    assert "Not a valid choice" in page


def test_lead_cannot_create_accounts_in_another_scheme(client, app, two_schemes):
    login_as(client, two_schemes["lead_a"])
    response = client.post("/people/new", data={
        "username": "sneaky", "display_name": "Sneaky", "scheme": two_schemes["b"].id,
        "role": "trainee"})
    assert b"Not a valid choice" in response.data
    assert _user(app, "sneaky") is None


def test_cross_scheme_person_is_not_found_and_unchanged(client, app, two_schemes, make_user):
    outsider = make_user(role="trainee", scheme=two_schemes["b"])
    login_as(client, two_schemes["lead_a"])
    before = _user(app, outsider.username)
    assert client.get(f"/people/{outsider.id}").status_code == 404
    for action in ("deactivate", "reactivate", "reset-password"):
        assert client.post(f"/people/{outsider.id}/{action}").status_code == 404
    response = client.post(f"/people/{outsider.id}/roles",
                           data={"scheme": two_schemes["a"].id, "role": "trainee"})
    assert response.status_code == 404
    assert _user(app, outsider.username) == before
    listing = client.get("/people/").get_data(as_text=True)
    assert outsider.username not in listing


def test_lead_adds_and_removes_roles_in_own_scheme_only(client, app, two_schemes, make_user):
    a, b = two_schemes["a"], two_schemes["b"]
    person = make_user(roles=[(a, "trainee"), (b, "trainee")])
    login_as(client, two_schemes["lead_a"])
    assert client.post(f"/people/{person.id}/roles",
                       data={"scheme": a.id, "role": "supervisor"}).status_code == 302
    response = client.post(f"/people/{person.id}/roles", data={"scheme": b.id, "role": "lead"})
    assert response.status_code == 400
    assert b"Not a valid choice" in response.data
    _, _, roles = _user(app, person.username)
    assert roles == sorted([(a.id, "trainee"), (a.id, "supervisor"), (b.id, "trainee")])
    with app.app_context():
        memberships = {(m.scheme_id, m.role): m.id for m in db.session.scalars(
            select(Membership).where(Membership.user_id == person.id))}
    other_scheme_membership = memberships[(b.id, Role.TRAINEE)]
    assert client.post(
        f"/people/{person.id}/roles/{other_scheme_membership}/remove").status_code == 404
    own = memberships[(a.id, Role.SUPERVISOR)]
    assert client.post(f"/people/{person.id}/roles/{own}/remove").status_code == 302
    _, _, roles = _user(app, person.username)
    assert roles == sorted([(a.id, "trainee"), (b.id, "trainee")])


def test_lead_cannot_remove_own_lead_role(client, app, two_schemes):
    lead = two_schemes["lead_a"]
    login_as(client, lead)
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).where(
            Membership.user_id == lead.id))
    response = client.post(f"/people/{lead.id}/roles/{membership_id}/remove",
                           follow_redirects=True)
    assert b"You cannot remove your own lead role" in response.data
    assert _user(app, lead.username)[2] == [(two_schemes["a"].id, "lead")]


def test_deactivation_ends_sessions_and_blocks_sign_in(app, two_schemes, make_user):
    person = make_user(role="trainee", scheme=two_schemes["a"])
    persons_device, lead_device = app.test_client(), app.test_client()
    persons_device.post("/login", data={"username": person.username, "password": person.password})
    assert persons_device.get("/account").status_code == 200
    lead = two_schemes["lead_a"]
    lead_device.post("/login", data={"username": lead.username, "password": lead.password})
    assert lead_device.post(f"/people/{person.id}/deactivate").status_code == 302
    assert persons_device.get("/account").status_code == 302
    response = persons_device.post("/login", data={"username": person.username,
                                                   "password": person.password})
    assert response.status_code == 200
    assert lead_device.post(f"/people/{person.id}/reactivate").status_code == 302
    assert _user(app, person.username)[1] is True


def test_lead_cannot_deactivate_someone_who_is_also_in_another_scheme(client, app, two_schemes,
                                                                      make_user):
    shared = make_user(roles=[(two_schemes["a"], "trainee"), (two_schemes["b"], "trainee")])
    login_as(client, two_schemes["lead_a"])
    assert b"Deactivate account" not in client.get(f"/people/{shared.id}").data
    assert client.post(f"/people/{shared.id}/deactivate").status_code == 403
    assert _user(app, shared.username)[1] is True


def test_admin_manages_anyone(client, app, two_schemes, make_user):
    shared = make_user(roles=[(two_schemes["a"], "trainee"), (two_schemes["b"], "trainee")])
    login_as(client, make_user(is_admin=True))
    assert client.post(f"/people/{shared.id}/deactivate").status_code == 302
    assert _user(app, shared.username)[1] is False


def test_reset_password_issues_new_one_time_password(client, app, two_schemes, make_user):
    person = make_user(role="trainee", scheme=two_schemes["a"])
    login_as(client, two_schemes["lead_a"])
    response = client.post(f"/people/{person.id}/reset-password")
    assert b"New one-time password" in response.data
    otp = response.get_data(as_text=True).split("<code>")[1].split("</code>")[0]
    other = app.test_client()
    assert other.post("/login", data={"username": person.username,
                                      "password": person.password}).status_code == 200
    assert other.post("/login", data={"username": person.username,
                                      "password": otp}).status_code == 302


def test_people_list_filters_and_paginates(client, app, two_schemes, make_user):
    a = two_schemes["a"]
    for n in range(55):
        make_user(f"trainee{n:02d}", role="trainee", scheme=a, display_name=f"Trainee {n:02d}")
    make_user("sup.one", role="supervisor", scheme=a, display_name="Supervisor One")
    login_as(client, two_schemes["lead_a"])
    page1 = client.get("/people/").get_data(as_text=True)
    assert "57 people." in page1
    assert "Page 1 of 2" in page1
    page2 = client.get("/people/?page=2").get_data(as_text=True)
    assert "Trainee 54" in page2 or "Supervisor One" in page2
    filtered = client.get("/people/?role=supervisor").get_data(as_text=True)
    assert "1 person." in filtered
    assert "Supervisor One" in filtered
    searched = client.get("/people/?q=trainee0").get_data(as_text=True)
    assert "10 people." in searched
    assert client.get("/people/?page=999").status_code == 200
    assert client.get("/people/?role=nonsense&scheme=nope").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 58


def test_people_list_query_count_does_not_grow(client, two_schemes, make_user,
                                               count_queries):
    a = two_schemes["a"]
    login_as(client, two_schemes["lead_a"])

    def measure():
        with count_queries() as counter:
            assert client.get("/people/").status_code == 200
        return counter.count

    for _n in range(3):
        make_user(role="trainee", scheme=a)
    small = measure()
    for _n in range(30):
        make_user(role="trainee", scheme=a)
    assert measure() == small


def test_filtered_people_list_drives_from_memberships_at_a_fixed_query_count(
        client, two_schemes, make_user, count_queries):
    a, b = two_schemes["a"], two_schemes["b"]
    login_as(client, two_schemes["lead_a"])
    url = f"/people/?scheme={a.slug}&role=trainee"

    def measure():
        with count_queries() as counter:
            page = client.get(url).get_data(as_text=True)
        return counter, page

    for _n in range(3):
        make_user(role="trainee", scheme=a)
    small, _page = measure()
    for _n in range(30):
        make_user(role="trainee", scheme=a)
        make_user(role="trainee", scheme=b, display_name="Elsewhere Person")
    grown, page = measure()
    assert grown.count == small.count
    assert "Elsewhere Person" not in page
    listing = [s for s in grown.statements if "FROM users" in s and "memberships" in s]
    assert listing
    assert not any("EXISTS" in s for s in listing)
    assert any("users.id IN (SELECT memberships.user_id" in s for s in listing)


def test_people_are_counted_from_memberships_once_each(client, app, two_schemes, make_user,
                                                        count_queries):
    """The total under the list comes from the memberships index (no people rows read)
    unless a name is searched, and a person with two roles in the scheme counts once."""
    a = two_schemes["a"]
    both = make_user("both.roles", role="trainee", scheme=a, display_name="Both Roles")
    with app.app_context():
        db.session.add(Membership(user_id=both.id, scheme_id=a.id, role=Role.SUPERVISOR))
        db.session.commit()
        expected = db.session.scalar(select(func.count(func.distinct(Membership.user_id)))
                                     .where(Membership.scheme_id == a.id))
    login_as(client, two_schemes["lead_a"])
    client.get("/people/")
    with count_queries() as counter:
        page = client.get("/people/").get_data(as_text=True)
    assert f"{expected} people." in page
    assert page.count("Both Roles") == 1
    counts = [s for s in counter.statements if s.lstrip().lower().startswith("select count(")]
    assert len(counts) == 1
    assert "FROM memberships" in counts[0]
    assert "users" not in counts[0]
    searched = client.get("/people/?q=both").get_data(as_text=True)
    assert "1 person." in searched


def test_each_persons_roles_are_listed_from_one_query_of_rows(client, app, two_schemes,
                                                               make_user, count_queries):
    """The roles column: each role with its scheme, in the order given, for every person on
    the page from one query of names (no memberships or schemes loaded as objects)."""
    a, b = two_schemes["a"], two_schemes["b"]
    both = make_user("two.schemes", role="trainee", scheme=a, display_name="Two Schemes")
    with app.app_context():
        db.session.add(Membership(user_id=both.id, scheme_id=b.id, role=Role.SUPERVISOR))
        db.session.commit()
    make_user(role="trainee", scheme=a, display_name="Only Trainee")
    login_as(client, two_schemes["lead_a"])
    with count_queries() as counter:
        page = client.get("/people/").get_data(as_text=True)
    assert "Trainee (Scheme A); Case supervisor (Scheme B)</td>" in page
    assert "<td>Trainee (Scheme A)</td>" in page  # Only Trainee
    assert "<td>Scheme lead (Scheme A)</td>" in page
    roles = [s for s in counter.statements if "memberships.role" in s]
    assert len(roles) == 1
    assert "schemes.name" in roles[0]
    assert not any("memberships.created_at" in s for s in counter.statements[1:])
