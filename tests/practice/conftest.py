from types import SimpleNamespace

import pytest

from lms.extensions import db
from lms.practice.models import RecognisedSupervisor
from tests.helpers import login_as

GOOD_RECORD = {
    "occurred_on": "2026-10-14", "sector": "prison", "process_type": "formal_conference",
    "communication": "direct", "face_to_face": "y", "harm_category": "violence",
    "involvement": "prisoner_prisoner",
    "practitioner_role": "lead", "stages": ["preparation", "delivery"],
    "reflection": "Preparation with the person harmed took two meetings; the conference "
                  "ended with an outcome agreement.",
}


@pytest.fixture
def recognise(app):
    def make(user):
        with app.app_context():
            db.session.add(RecognisedSupervisor(user_id=user.id, reason="test"))
            db.session.commit()
    return make


@pytest.fixture
def practice_scheme(make_scheme, make_user, recognise):
    scheme = make_scheme(name="HMP Test")
    people = SimpleNamespace(
        scheme=scheme,
        practitioner=make_user(role="trainee", scheme=scheme, email="p@example.org"),
        colleague=make_user(role="trainee", scheme=scheme),
        supervisor=make_user(role="supervisor", scheme=scheme, email="s@example.org"),
        supervisor2=make_user(role="supervisor", scheme=scheme),
        unrecognised=make_user(role="supervisor", scheme=scheme),
        other_supervisor=make_user(role="supervisor", scheme=make_scheme(name="Other")),
    )
    for person in (people.supervisor, people.supervisor2, people.other_supervisor):
        recognise(person)
    return people


def create_record(client, scheme_id, **changes):
    data = {**GOOD_RECORD, "scheme": scheme_id, **changes}
    response = client.post("/practice/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def submitted_record(app, people, **changes):
    client = login_as(app, people.practitioner)
    record_id = create_record(client, people.scheme.id, **changes)
    client.post(f"/practice/{record_id}/submit")
    return client, record_id
