from sqlalchemy import func, select

from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment, LiveSession
from tests.learning.conftest import write_catalogue


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_load_command_is_idempotent(app, runner, tmp_path):
    root = write_catalogue(tmp_path / "courses")
    result = runner.invoke(args=["courses", "load", str(root)])
    assert result.exit_code == 0, result.output
    assert "2 new, 0 updated, 0 unchanged" in result.output
    result = runner.invoke(args=["courses", "load", str(root)])
    assert "0 new, 0 updated, 2 unchanged" in result.output
    assert _count(app, CourseVersion) == 2


def test_load_refuses_a_broken_catalogue_and_loads_nothing(app, runner, tmp_path):
    root = write_catalogue(tmp_path / "courses")
    check = root / "basics" / "02-agreements.check.yaml"
    check.write_text(check.read_text().replace("correct: true", "correct: false"))
    result = runner.invoke(args=["courses", "load", str(root)])
    assert result.exit_code == 1
    assert "02-agreements.check.yaml:" in result.output
    assert "nothing loaded" in result.output
    assert _count(app, Course) == 0


def test_shipped_catalogue_loads(app, runner):
    result = runner.invoke(args=["courses", "load"])
    assert result.exit_code == 0, result.output
    assert "7 new" in result.output
    with app.app_context():
        slugs = set(db.session.scalars(select(Course.slug)))
    assert slugs == {"foundation", "facilitator", "sensitive-complex", "case-supervision",
                     "trainer", "specialist-settings", "peer-mediation"}


def test_demo_learning_is_idempotent_and_shows_progress(app, runner, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    counts = (_count(app, Enrolment), _count(app, LiveSession))
    assert counts[0] >= 15
    assert counts[1] >= 3
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert (_count(app, Enrolment), _count(app, LiveSession)) == counts
    client.post("/login", data={"username": "prison.trainee1", "password": "restorative-demo"})
    page = client.get("/learning/").get_data(as_text=True)
    assert "Continue:" in page
    assert "Completed" in page


def test_demo_practice_is_idempotent_and_audited(app, runner, client):
    from lms.practice.models import PracticeRecord

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    records = _count(app, PracticeRecord)
    # 7 logged; each co-facilitator who confirmed their part has a record of their own (10)
    assert records == 17
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert _count(app, PracticeRecord) == records
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    client.post("/login", data={"username": "prison.supervisor", "password": "restorative-demo"})
    assert "Asked of you (1)" in client.get("/supervision/queue").get_data(as_text=True)


def test_demo_accreditation_is_idempotent(app, runner, client, tmp_path, monkeypatch):
    from lms.accreditation.models import AccreditationRecord, Application

    monkeypatch.setitem(app.config, "SIGNING_KEYS_DIR", str(tmp_path / "keys"))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    counts = (_count(app, AccreditationRecord), _count(app, Application))
    assert counts == (13, 14)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert (_count(app, AccreditationRecord), _count(app, Application)) == counts
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    page = client.get("/register").get_data(as_text=True)
    assert "Sam Whitaker" in page
    assert "Gareth Price" not in page


def test_demo_dashboard_is_lived_in(app, runner, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNING_KEYS_DIR", str(tmp_path / "keys"))
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    client.post("/login", data={"username": "prison.lead", "password": "restorative-demo"})
    page = client.get("/reports/schemes/hmp-northfield").get_data(as_text=True)
    assert "Restorative work delivered" in page
    assert "<svg" in page
    assert "Foundation in restorative practice" in page
    listing = client.get("/reports/schemes/hmp-northfield/practitioners").get_data(as_text=True)
    assert "Sam Whitaker" in listing
    assert "Case supervisor" in listing
