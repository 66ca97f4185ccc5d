"""The certificate of completion: a PDF for each completed course, saying it records
training, not accreditation; only the learner and those who train or lead them get it."""

import io

from pypdf import PdfReader

from lms import clock
from lms.extensions import db
from lms.learning.models import Course, Enrolment
from tests.branding.test_name_and_logo import png
from tests.helpers import login_as


def _completed(app, user, course_id, scheme_id=None, done=True):
    with app.app_context():
        course = db.session.get(Course, course_id)
        enrolment = Enrolment(user_id=user.id, course_id=course_id, scheme_id=scheme_id,
                              completed_at=clock.utcnow() if done else None,
                              completed_version_id=course.current_version_id if done else None)
        db.session.add(enrolment)
        db.session.commit()
        return enrolment.id


def _text(response):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_learner_downloads_a_completion_certificate(client, app, catalogue, make_scheme,
                                                        make_user):
    scheme = make_scheme()
    learner = make_user(role="trainee", scheme=scheme, display_name="Gwenllïan Ŵyn")
    enrolment_id = _completed(app, learner, catalogue.ids["basics"], scheme.id)
    login_as(client, learner)
    page = client.get("/courses/basics").get_data(as_text=True)
    assert f'href="/enrolments/{enrolment_id}/certificate.pdf"' in page
    response = client.get(f"/enrolments/{enrolment_id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = " ".join(_text(response).split())
    assert "Certificate of completion of training" in text
    assert "Gwenllïan Ŵyn" in text
    assert "has completed the course Basics" in text
    assert "Completed on" in text
    assert "It is not a certificate of accreditation" in text
    assert "is accredited" not in text.lower()


def test_only_the_learner_their_trainers_leads_and_admins_get_it(app, catalogue, make_scheme,
                                                                 make_user):
    scheme, other = make_scheme(), make_scheme()
    learner = make_user(role="trainee", scheme=scheme)
    enrolment_id = _completed(app, learner, catalogue.ids["basics"], scheme.id)
    url = f"/enrolments/{enrolment_id}/certificate.pdf"
    allowed = [make_user(role="lead", scheme=scheme), make_user(role="trainer", scheme=scheme),
               make_user(is_admin=True)]
    refused = [make_user(role="trainee", scheme=scheme),
               make_user(role="supervisor", scheme=scheme),
               make_user(role="lead", scheme=other)]
    for person in allowed:
        assert login_as(app, person).get(url).status_code == 200
    for person in refused:
        assert login_as(app, person).get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302  # to sign in


def test_no_certificate_before_the_course_is_completed(client, app, catalogue, make_scheme,
                                                       make_user):
    learner = make_user(role="trainee", scheme=make_scheme())
    enrolment_id = _completed(app, learner, catalogue.ids["basics"], done=False)
    login_as(client, learner)
    assert client.get(f"/enrolments/{enrolment_id}/certificate.pdf").status_code == 404
    assert "/certificate.pdf" not in client.get("/courses/basics").get_data(as_text=True)


def test_a_configured_logo_is_in_the_header_and_on_the_certificate(
        client, app, catalogue, make_user, make_scheme, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "BRANDING_DIR", str(tmp_path / "branding"))
    configured = tmp_path / "network.png"
    configured.write_bytes(png(40, 20))
    monkeypatch.setitem(app.config, "LOGO_PATH", str(configured))
    scheme = make_scheme()
    learner = make_user(role="trainee", scheme=scheme)
    enrolment_id = _completed(app, learner, catalogue.ids["basics"], scheme.id)
    login_as(client, learner)
    assert 'class="brand-logo"' in client.get("/").get_data(as_text=True)
    pdf = PdfReader(io.BytesIO(client.get(f"/enrolments/{enrolment_id}/certificate.pdf").data))
    assert len(pdf.pages[0].images) == 1
