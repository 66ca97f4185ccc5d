"""One wording per rule: the CPD log and the pathway say the same about the same CPD, and
a lead's view of someone's pathway speaks of "them", not "you"."""

import re
from datetime import timedelta

from lms import clock
from lms.extensions import db
from lms.practice.models import CpdEntry
from tests.helpers import login_as


def _cpd(app, user, hours, approved):
    with app.app_context():
        day = clock.today() - timedelta(days=30)
        for n in range(hours):
            db.session.add(CpdEntry(user_id=user.id, done_on=day, hours=1.0,
                                    activity=f"Reading {n}", provider="Hub",
                                    approved=n < approved))
        db.session.commit()


def _cpd_rows(page):
    """The have / needed / met cells of each CPD requirement row on a page."""
    return re.findall(r"<td>(\d+ hours \(\d+ approved\))</td><td>([^<]+)</td><td>([^<]+)</td>",
                      page)


def test_the_cpd_log_and_the_pathway_agree(app, make_scheme, make_user):
    person = make_user(role="trainee", scheme=make_scheme())
    _cpd(app, person, hours=14, approved=6)  # 43% approved, but enough for every level
    client = login_as(app, person)
    log = client.get("/cpd/").get_data(as_text=True)
    pathway = client.get("/accreditation/pathway").get_data(as_text=True)
    on_log, on_pathway = _cpd_rows(log), _cpd_rows(pathway)
    assert on_log
    assert set(on_log) == set(on_pathway)
    assert "below 50%" not in log
    assert "43%" in log  # the share is still shown, as a fact, not as a second rule


def test_a_leads_view_of_a_pathway_says_they(app, make_scheme, make_user):
    scheme = make_scheme()
    person = make_user(role="trainee", scheme=scheme)
    lead = make_user(role="lead", scheme=scheme)
    page = login_as(app, lead).get(f"/accreditation/pathway/{person.id}").get_data(as_text=True)
    assert "A supervisor or an assessor observes them" in page
    assert "observe you" not in page
    assert "Their practice log" in page
    own = login_as(app, person).get("/accreditation/pathway").get_data(as_text=True)
    assert "Ask your supervisor or an assessor to observe you" in own
