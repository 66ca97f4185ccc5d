"""Sign-off needs the evidenced stages rated at a level that counts (issue 10)."""

from sqlalchemy import select

from lms.extensions import db
from lms.practice.models import Assessment, PracticeRecord
from tests.helpers import login_as
from tests.practice.conftest import submitted_record


def _awaiting(app, people):
    practitioner, record_id = submitted_record(app, people)
    practitioner.post(f"/practice/{record_id}/request", data={"supervisor": people.supervisor.id})
    return record_id


def _post(client, app, record_id, outcome, ratings, feedback="Noted."):
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    data = {"outcome": outcome, "feedback": feedback, "version": version}
    for stage, rating in ratings.items():
        data[f"ratings-{stage}-rating"] = rating
    return client.post(f"/practice/{record_id}/assess", data=data)


def _state(app, record_id):
    with app.app_context():
        record = db.session.get(PracticeRecord, record_id)
        return record.status, db.session.scalars(select(Assessment.outcome)).all()


def test_sign_off_with_every_stage_not_yet_demonstrated_is_refused(app, practice_scheme):
    record_id = _awaiting(app, practice_scheme)
    supervisor = login_as(app, practice_scheme.supervisor)
    response = _post(supervisor, app, record_id, "signed off",
                     {"preparation": "not_yet", "delivery": "not_yet"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not yet demonstrated does not count towards sign-off" in page
    assert "Return the record for further work" in page
    assert _state(app, record_id) == ("awaiting sign-off", [])


def test_one_stage_not_yet_demonstrated_blocks_sign_off_but_return_is_stored(
        app, practice_scheme):
    record_id = _awaiting(app, practice_scheme)
    supervisor = login_as(app, practice_scheme.supervisor)
    response = _post(supervisor, app, record_id, "signed off",
                     {"preparation": "strong", "delivery": "not_yet"})
    assert response.status_code == 400
    assert _state(app, record_id) == ("awaiting sign-off", [])
    response = _post(supervisor, app, record_id, "returned",
                     {"preparation": "strong", "delivery": "not_yet"},
                     feedback="Show the delivery stage in a further process.")
    assert response.status_code == 302
    assert _state(app, record_id) == ("returned", ["returned"])
