from types import SimpleNamespace

import pytest

from lms.schemes.models import Sector
from tests.helpers import login_as

INSTANT = {"occurred_on": "2026-10-14", "setting": "housing", "involvement": "neighbours",
           "harm": "noise", "agreement_reached": "yes"}
CONFERENCE = {
    "occurred_on": "2026-10-14", "sector": "housing", "process_type": "formal_conference",
    "communication": "direct", "face_to_face": "y", "harm_category": ["neighbour_nuisance",
                                                                      "noise"],
    "involvement": "neighbours", "practitioner_role": "lead",
    "stages": ["preparation", "delivery"],
    "reflection": "Two preparation meetings with each household before the conference.",
}


@pytest.fixture
def team(make_scheme, make_user):
    """A housing scheme: a lead practitioner, a colleague, a trained tenant volunteer with
    no email, the scheme's lead and supervisor, a member who took no part, an outsider."""
    scheme = make_scheme(name="Greenway Test", sector=Sector.HOUSING)
    other = make_scheme(name="Elsewhere", sector=Sector.HOUSING)
    return SimpleNamespace(
        scheme=scheme, other=other,
        lead_practitioner=make_user(role="trainee", scheme=scheme, email="a@example.org"),
        colleague=make_user(role="trainee", scheme=scheme, email="b@example.org"),
        volunteer=make_user(role="trainee", scheme=scheme),  # no email address
        scheme_lead=make_user(role="lead", scheme=scheme),
        supervisor=make_user(role="supervisor", scheme=scheme),
        bystander=make_user(role="trainee", scheme=scheme),
        outsider=make_user(role="trainee", scheme=other),
    )


def log_conference(app, team, **changes):
    """The lead practitioner logs a conference; returns (client, record id)."""
    client = login_as(app, team.lead_practitioner)
    response = client.post("/practice/new", data={**CONFERENCE, "scheme": team.scheme.id,
                                                  **changes})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return client, int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def recognise(app):
    from lms.extensions import db
    from lms.practice.models import RecognisedSupervisor

    def make(user):
        with app.app_context():
            db.session.add(RecognisedSupervisor(user_id=user.id, reason="test"))
            db.session.commit()
    return make
