"""Each practice rule has one home: unit tests of the refusal functions, the SQL and Python
forms of "confirmed by both people", and CPD approval rights (issue 9)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import clock, policy
from lms.auth.models import User
from lms.extensions import db
from lms.practice import forms as practice_forms
from lms.practice.models import (
    RATINGS,
    Assessment,
    CpdEntry,
    PracticeRecord,
    SupervisionSession,
    counting_ratings,
)
from tests.helpers import login_as
from tests.practice.conftest import create_record, submitted_record


def _user(user_id):
    return db.session.get(User, user_id)


def test_counting_ratings_in_policy_are_known_ratings_and_exclude_not_yet():
    counting = counting_ratings()
    assert counting
    assert set(counting) <= set(RATINGS)
    assert "not_yet" not in counting


def test_sign_off_refusal_names_each_reason(app, practice_scheme):
    people = practice_scheme
    author = login_as(app, people.practitioner)
    record_id = create_record(author, people.scheme.id,
                              co_facilitator=people.supervisor2.id)
    with app.app_context():
        record = db.session.get(PracticeRecord, record_id)
        supervisor = _user(people.supervisor.id)
        assert "not waiting for an assessment" in record.sign_off_refusal(supervisor)
        record.status = "awaiting sign-off"
        assert record.sign_off_refusal(supervisor) is None
        assert record.sign_off_refusal(_user(people.practitioner.id)) == \
            "Nobody can sign off their own practice."
        assert "A co-facilitator cannot sign off" in record.sign_off_refusal(
            _user(people.supervisor2.id))
        for outsider in (people.unrecognised, people.other_supervisor, people.colleague):
            assert record.sign_off_refusal(_user(outsider.id)) == \
                "Only a recognised supervisor of this scheme can assess this record."
        db.session.rollback()


def test_the_show_page_offers_assessment_exactly_when_the_rule_allows(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    offered = "Assess this record"
    assert offered in login_as(app, practice_scheme.supervisor).get(
        f"/practice/{record_id}").get_data(as_text=True)
    assert offered not in login_as(app, practice_scheme.unrecognised).get(
        f"/practice/{record_id}").get_data(as_text=True)
    assert offered not in practitioner.get(f"/practice/{record_id}").get_data(as_text=True)


def test_which_ratings_count_is_read_from_policy(app, practice_scheme, monkeypatch):
    real = policy.practice
    monkeypatch.setattr(policy, "practice", lambda key: ["strong"]
                        if key == "sign_off_counting_ratings" else real(key))
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    supervisor = login_as(app, practice_scheme.supervisor)
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    response = supervisor.post(f"/practice/{record_id}/assess", data={
        "outcome": "signed off", "version": version, "feedback": "",
        "ratings-preparation-rating": "strong", "ratings-delivery-rating": "demonstrated"})
    assert response.status_code == 400
    assert "Demonstrated does not count towards sign-off." in response.get_data(as_text=True)


def test_assessment_form_refuses_unknown_ratings_and_identifying_comments(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    supervisor = login_as(app, practice_scheme.supervisor)
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    response = supervisor.post(f"/practice/{record_id}/assess", data={
        "outcome": "signed off", "version": version, "feedback": "",
        "ratings-preparation-rating": "excellent", "ratings-delivery-rating": "strong",
        "ratings-delivery-comment": "Met her at 14 Acacia Avenue."})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not a valid choice" in page
    assert "a street address" in page
    assert "Met her at 14 Acacia Avenue." in page  # kept to edit
    with app.app_context():
        assert db.session.get(PracticeRecord, record_id).status == "awaiting sign-off"


def test_the_dead_rating_choices_helper_is_gone():
    assert not hasattr(practice_forms, "rating_choices")


@pytest.mark.parametrize(("by_supervisor", "by_practitioner"),
                         [(False, False), (True, False), (False, True), (True, True)])
def test_confirmed_by_both_is_the_same_rule_in_sql_and_python(app, practice_scheme,
                                                              by_supervisor, by_practitioner):
    now = clock.utcnow()
    with app.app_context():
        session = SupervisionSession(
            supervisor_id=practice_scheme.supervisor.id,
            practitioner_id=practice_scheme.practitioner.id, scheme_id=practice_scheme.scheme.id,
            held_on=now.date() - timedelta(days=1), duration_minutes=30,
            supervisor_confirmed_at=now if by_supervisor else None,
            practitioner_confirmed_at=now if by_practitioner else None)
        db.session.add(session)
        db.session.commit()
        in_sql = db.session.scalar(select(SupervisionSession.id).where(
            SupervisionSession.confirmed_by_both())) is not None
        assert session.confirmed is in_sql is (by_supervisor and by_practitioner)


def test_cpd_approval_list_and_approval_rule_agree(app, practice_scheme, make_user,
                                                   make_scheme):
    people = practice_scheme
    other = make_scheme(name="Elsewhere")
    trainer = make_user(role="trainer", scheme=people.scheme)
    outside_trainer = make_user(role="trainer", scheme=other)
    admin = make_user(is_admin=True)
    authors = [people.practitioner, trainer, make_user(role="trainee", scheme=other), admin]
    with app.app_context():
        for author in authors:
            db.session.add(CpdEntry(user_id=author.id, done_on=clock.today(), hours=1,
                                    activity=f"CPD of {author.id}", provider="Hub"))
        db.session.commit()
        entries = db.session.scalars(select(CpdEntry)).all()
        for approver in (trainer, outside_trainer, admin, people.practitioner):
            user = _user(approver.id)
            listed = set(db.session.scalars(select(CpdEntry.id).where(
                CpdEntry.approvable_by(user))))
            allowed = {e.id for e in entries if e.approval_refusal(user) is None}
            assert listed == allowed, approver
        rights = {approver: {e.user_id for e in entries if e.approval_refusal(_user(approver))
                             is None} for approver in (trainer.id, outside_trainer.id, admin.id)}
    assert rights[trainer.id] == {people.practitioner.id}
    assert rights[outside_trainer.id] == {authors[2].id}
    assert rights[admin.id] == {people.practitioner.id, trainer.id, authors[2].id}
    page = login_as(app, trainer).get("/cpd/to-approve").get_data(as_text=True)
    assert f"CPD of {people.practitioner.id}<" in page
    assert f"CPD of {trainer.id}<" not in page
    assert f"CPD of {authors[2].id}<" not in page


def test_the_practice_supervisor_is_named_so_and_keeps_the_stored_column():
    # "assessor" means the accreditation assessor; the column name is kept (no migration)
    assert Assessment.supervisor_id.property.columns[0].name == "assessor_id"
    assert not hasattr(Assessment, "assessor_id")
