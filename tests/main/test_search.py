"""Staff search finds people and practice records only within what the searcher may see."""

from datetime import date

from lms.extensions import db
from lms.practice.models import PracticeRecord, PracticeStatus
from tests.helpers import login_as


def _record(author, scheme, code):
    return PracticeRecord(case_code=code, author_id=author.id, scheme_id=scheme.id,
                          occurred_on=date(2026, 10, 1), sector="prison",
                          process_type="formal_conference", direct=True, face_to_face=True,
                          harm_category="violence", practitioner_role="lead",
                          stages=["preparation"], status=PracticeStatus.SUBMITTED)


def test_search_stays_within_what_the_person_may_see(app, make_scheme, make_user):
    mine, theirs = make_scheme(), make_scheme()
    lead = make_user(role="lead", scheme=mine)
    supervisor = make_user(role="supervisor", scheme=mine)
    inside = make_user("jo.inside", display_name="Jo Inside", role="trainee", scheme=mine)
    outside = make_user("jo.outside", display_name="Jo Outside", role="trainee", scheme=theirs)
    with app.app_context():
        db.session.add_all([_record(inside, mine, "RJ-2026-IN0001"),
                            _record(outside, theirs, "RJ-2026-OUT001")])
        db.session.commit()
    page = login_as(app, lead).get("/search", query_string={"q": "jo"}).get_data(as_text=True)
    assert ">Jo Inside</a>" in page
    assert "Jo Outside" not in page
    records = login_as(app, supervisor).get("/search", query_string={"q": "RJ-2026"})
    text = records.get_data(as_text=True)
    assert ">RJ-2026-IN0001</a>" in text
    assert "RJ-2026-OUT001" not in text
    assert "<h2>People" not in text  # supervisors do not manage people


def test_search_is_for_staff_and_keeps_a_too_long_term_with_a_message(
        app, make_scheme, make_user):
    scheme = make_scheme()
    trainee = make_user(role="trainee", scheme=scheme)
    assert login_as(app, trainee).get("/search?q=x").status_code == 403
    lead = login_as(app, make_user(role="lead", scheme=scheme))
    page = lead.get("/search", query_string={"q": "y" * 101}).get_data(as_text=True)
    assert "Use at most 100 characters." in page
    assert 'value="' + "y" * 101 + '"' in page


def test_record_visibility_rule_agrees_in_sql_and_python(app, make_scheme, make_user):
    from sqlalchemy import select

    from lms.auth.models import User
    scheme, other = make_scheme(), make_scheme()
    author = make_user(role="trainee", scheme=scheme)
    people = [author, make_user(role="supervisor", scheme=scheme),
              make_user(role="lead", scheme=scheme), make_user(role="trainer", scheme=scheme),
              make_user(role="supervisor", scheme=other), make_user(is_admin=True)]
    with app.app_context():
        db.session.add(_record(author, scheme, "RJ-2026-VIS001"))
        db.session.commit()
        record = db.session.scalar(select(PracticeRecord))
        seen = []
        for person in people:
            user = db.session.get(User, person.id)
            in_sql = db.session.scalar(select(PracticeRecord.id).where(
                PracticeRecord.viewable_by(user))) is not None
            assert in_sql == record.viewable(user), person.username
            seen.append(in_sql)
    assert seen == [True, True, True, False, False, True]
