"""The audit trail page for administrators: filters, pages, and the chain check."""

import re
from datetime import timedelta

from sqlalchemy import update

from lms import clock
from lms.audit import services as audit
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.helpers import login_as


def _append(app, actions, actor_id=None, object_type="thing"):
    with app.app_context():
        for n, action in enumerate(actions):
            audit.record(action, actor=actor_id, object_type=object_type, object_id=n,
                         payload={"n": n})
        db.session.commit()


def _count(response):
    page = response.get_data(as_text=True)
    match = re.search(r"<p>(\d+) events?</p>", page)
    assert match, page
    return int(match.group(1)), page


def test_only_admins_see_the_trail(app, make_user, make_scheme):
    lead = make_user(role="lead", scheme=make_scheme())
    assert login_as(app, lead).get("/admin/audit/").status_code == 403
    assert login_as(app, lead).post("/admin/audit/verify").status_code == 403
    assert app.test_client().get("/admin/audit/").status_code == 302


def test_filters_by_person_action_object_and_date(client, app, make_user):
    admin = make_user(is_admin=True)
    actor = make_user("doer")
    _append(app, ["practice.signed_off", "practice.returned", "session.booked"],
            actor_id=actor.id)
    _append(app, ["practice.signed_off"], object_type="other")
    login_as(client, admin)
    count, page = _count(client.get("/admin/audit/"))
    assert count == 4
    assert "practice.returned" in page
    assert _count(client.get("/admin/audit/?person=DOER"))[0] == 3
    count, page = _count(client.get("/admin/audit/?action=practice."))
    assert count == 3
    assert "session.booked" not in page
    assert _count(client.get("/admin/audit/?action=practice.signed_off&object_type=other")
                  )[0] == 1
    count, page = _count(client.get("/admin/audit/?object_type=thing&object_id=2"))
    assert count == 1
    assert "session.booked" in page
    today = clock.today()
    assert _count(client.get(f"/admin/audit/?start={today + timedelta(days=1)}"))[0] == 0
    assert _count(client.get(f"/admin/audit/?start={today}&end={today}"))[0] == 4


def test_pages_are_bounded(client, app, make_user, count_queries):
    admin = make_user(is_admin=True)
    _append(app, [f"test.n{n}" for n in range(120)])
    login_as(client, admin)
    with count_queries() as counter:
        page = client.get("/admin/audit/?page=2").get_data(as_text=True)
    assert "Page 2 of 3" in page
    assert page.count("<tr>") == 51  # the header row and 50 events
    assert counter.count <= 8


def test_the_chain_is_checked_from_the_page(client, app, make_user):
    admin = make_user(is_admin=True)
    _append(app, ["test.a", "test.b", "test.c"])
    login_as(client, admin)
    page = client.post("/admin/audit/verify").get_data(as_text=True)
    assert "The audit chain is intact" in page
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == 2)
                           .values(payload={"n": 99}))
        db.session.commit()
    page = client.post("/admin/audit/verify").get_data(as_text=True)
    assert "The audit chain is BROKEN at event 2" in page
    assert "edited" in page


def test_admins_find_the_standards_and_the_trail_in_the_navigation(client, make_user):
    login_as(client, make_user(is_admin=True))
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert 'href="/admin/audit/"' in page
    assert 'href="/accreditation/standards"' in page
