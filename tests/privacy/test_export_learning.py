"""Issue 12: the subject access export holds the person's learning (lessons done,
knowledge-check attempts, skills practice results, found through their enrolments) and the
evidence files they uploaded."""

import io
import json
import zipfile
from datetime import date

from sqlalchemy import select

from lms.accreditation.models import EvidenceFile
from lms.accreditation.storage import EXTENSION_KEY, LocalStore
from lms.extensions import db
from lms.learning.models import Enrolment, SkillAssessment
from tests.helpers import login_as
from tests.learning.conftest import load, right_answers, write_catalogue

CHECK = "/courses/basics/checks/listening"


def _export(client) -> zipfile.ZipFile:
    response = client.post("/privacy/my-data.zip")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_export_holds_lesson_progress_attempts_and_skills_results(
        app, tmp_path, make_user, make_scheme, monkeypatch):
    load(app, write_catalogue(tmp_path / "courses"))
    scheme = make_scheme()
    learner = make_user(role="trainee", scheme=scheme)
    trainer = make_user(role="trainer", scheme=scheme)
    other = make_user(role="trainee", scheme=scheme)
    client = login_as(app, learner)
    client.post("/courses/basics/enrol")
    client.post("/courses/basics/lessons/listening/why-listening-matters/done")
    client.post(CHECK, data=right_answers(client, CHECK))
    with app.app_context():
        enrolment_id = db.session.scalar(select(Enrolment.id).where(
            Enrolment.user_id == learner.id))
        db.session.add(SkillAssessment(
            enrolment_id=enrolment_id, skill_key="preparing", result="not_yet",
            method="role_play", feedback="Slow the opening down.", assessed_on=date.today(),
            assessed_by_id=trainer.id))
        store = LocalStore(tmp_path / "evidence")
        monkeypatch.setitem(app.extensions, EXTENSION_KEY, store)
        store.put("k" * 40, b"%PDF-1.4 my work product", "application/pdf")
        db.session.add(EvidenceFile(user_id=learner.id, filename="plan.pdf",
                                    content_type="application/pdf", size=24, sha256="0" * 64,
                                    storage_key="k" * 40, redaction_confirmed=True))
        db.session.commit()
    # someone else's learning is not in this person's export
    other_client = login_as(app, other)
    other_client.post("/courses/basics/enrol")
    other_client.post("/courses/basics/lessons/listening/why-listening-matters/done")

    archive = _export(client)
    data = json.loads(archive.read("data.json"))
    [lesson] = data["lesson_completions"]["rows"]
    assert lesson["enrolment_id"] == enrolment_id
    assert data["lesson_completions"]["about_you_via"] == ["enrolment_id"]
    [attempt] = data["check_attempts"]["rows"]
    assert (attempt["enrolment_id"], attempt["passed"], attempt["number"]) == (
        enrolment_id, True, 1)
    assert attempt["answers"]  # what was chosen, in full
    [skill] = data["skill_assessments"]["rows"]
    assert (skill["result"], skill["feedback"]) == ("not_yet", "Slow the opening down.")
    assert "files/1-plan.pdf" in archive.namelist()
    assert archive.read("files/1-plan.pdf") == b"%PDF-1.4 my work product"
    assert "lessons done" in archive.read("README.txt").decode()

    # the trainer's export lists the assessment as their part only
    theirs = json.loads(_export(login_as(app, trainer)).read("data.json"))
    assert theirs["skill_assessments"]["rows"] == [{"id": skill["id"],
                                                    "your_part": ["assessed_by_id"]}]
