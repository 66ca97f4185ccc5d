"""The guard on free-text fields, through the forms people use: identifying text is
refused next to the field with what was found, what was typed is kept, nothing is saved."""

from datetime import date, timedelta
from html import unescape

from sqlalchemy import func, select

from lms.extensions import db
from lms.practice.models import Assessment, CpdEntry, PracticeRecord
from tests.helpers import login_as
from tests.practice.conftest import create_record, submitted_record


def _page(response):
    return unescape(response.get_data(as_text=True))


def test_per_stage_comment_naming_a_participant_is_refused_and_kept(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    supervisor = login_as(app, practice_scheme.supervisor)
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    response = supervisor.post(f"/practice/{record_id}/assess", data={
        "outcome": "signed off", "feedback": "Well prepared.", "version": version,
        "ratings-preparation-rating": "strong", "ratings-delivery-rating": "demonstrated",
        "ratings-preparation-comment": "Handled his mum Sharon's anger well."})
    page = _page(response)
    assert response.status_code == 400
    assert "Remove a name (\u201cSharon\u201d) from" in page
    assert "Handled his mum Sharon's anger well." in page  # kept for editing
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_feedback_naming_a_participant_is_refused(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    supervisor = login_as(app, practice_scheme.supervisor)
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    response = supervisor.post(f"/practice/{record_id}/assess", data={
        "outcome": "returned", "version": version, "ratings-preparation-rating": "strong",
        "ratings-delivery-rating": "strong", "feedback": "Say more about Mr Evans in bed 6."})
    page = _page(response)
    assert response.status_code == 400
    assert "a name (\u201cEvans\u201d) and a hospital ward or bed (\u201cbed 6\u201d)" in page


def test_reflection_with_a_name_is_refused_with_a_suggestion(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    response = client.post("/practice/new", data={
        "occurred_on": "2026-10-14", "sector": "prison", "process_type": "formal_conference",
        "communication": "direct", "harm_category": "violence", "practitioner_role": "lead",
        "stages": ["preparation"], "scheme": practice_scheme.scheme.id,
        "reflection": "Kyle in cell 3-14 on C wing agreed to meet."})
    page = _page(response)
    assert response.status_code in (200, 400)
    assert "Remove a name (\u201cKyle\u201d) and a cell or landing (\u201ccell 3-14\u201d)" in page
    assert "the person harmed" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PracticeRecord)) == 0


def test_external_co_facilitator_is_initials_or_role_never_a_name(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    response = client.post("/practice/new", data={
        "occurred_on": "2026-10-14", "sector": "prison", "process_type": "formal_conference",
        "communication": "direct", "harm_category": "violence", "practitioner_role": "lead",
        "stages": ["preparation"], "scheme": practice_scheme.scheme.id,
        "reflection": "Preparation went well.", "co_facilitator_name": "Sarah Jones"})
    page = _page(response)
    assert "Remove a name (\u201cSarah Jones\u201d)" in page
    assert "Write their initials or their role" in page
    for allowed in ("S.J.", "SJ", "prison officer", "peer mentor from the wing"):
        create_record(client, practice_scheme.scheme.id, co_facilitator_name=allowed)
    with app.app_context():
        names = db.session.scalars(select(PracticeRecord.co_facilitator_name)).all()
        assert sorted(names) == sorted(["S.J.", "SJ", "prison officer",
                                        "peer mentor from the wing"])


def test_cpd_description_naming_a_participant_is_refused(app, practice_scheme):
    client = login_as(app, practice_scheme.practitioner)
    response = client.post("/cpd/", data={
        "done_on": (date.today() - timedelta(days=3)).isoformat(), "hours": "2",
        "activity": "Case review of the burglary at 9 Oak Close", "provider": "Trust"})
    page = _page(response)
    assert "Remove a street address (\u201c9 Oak Close\u201d) from Activity." in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CpdEntry)) == 0
