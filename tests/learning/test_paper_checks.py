"""Issue 17: knowledge checks on paper for learners without devices, results entered by a
trainer, audited and counting towards completion."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.learning.models import CheckAttempt, Enrolment
from tests.helpers import login_as

PAPER = "/courses/basics/checks/listening/paper"
RESULTS = "/courses/basics/checks/listening/paper-results"


@pytest.fixture
def people(app, catalogue, make_scheme, make_user):
    scheme, other = make_scheme(), make_scheme()
    found = {"trainer": make_user(role="trainer", scheme=scheme),
             "learner": make_user(role="trainee", scheme=scheme),
             "elsewhere": make_user(role="trainee", scheme=other),
             "other_trainer": make_user(role="trainer", scheme=other)}
    with app.app_context():
        for key, scheme_id in (("learner", scheme.id), ("elsewhere", other.id)):
            db.session.add(Enrolment(user_id=found[key].id, course_id=catalogue.ids["basics"],
                                     scheme_id=scheme_id))
        db.session.commit()
        found["enrolment_id"] = db.session.scalar(select(Enrolment.id).where(
            Enrolment.user_id == found["learner"].id))
    return found


def test_a_printed_paper_has_no_answers_and_its_marking_key_matches(client, people):
    login_as(client, people["trainer"])
    paper = client.get(PAPER).get_data(as_text=True)
    assert "Paper set 1" in paper
    assert "Name" in paper
    assert "Question 3?" in paper
    assert "✓ correct" not in paper
    assert "Because 3." not in paper
    key = client.get(PAPER + "?set=1&answers=1").get_data(as_text=True)
    assert key.count("✓ correct") == 5
    assert "Because 3." in key

    def order(page):
        return re.findall(r"<li>((?:Right|Wrong) \d+)", page)

    assert order(key) == order(paper)  # the key follows the paper's order
    assert order(client.get(PAPER + "?set=1").get_data(as_text=True)) == order(paper)
    assert client.get(PAPER + "?set=99999999999999999999").status_code == 200


def test_the_course_page_links_staff_to_the_paper_route(client, people):
    login_as(client, people["trainer"])
    page = client.get("/courses/basics").get_data(as_text=True)
    assert f'href="{PAPER}"' in page
    assert f'href="{RESULTS}"' in page
    client.post("/logout")
    login_as(client, people["learner"])
    page = client.get("/courses/basics").get_data(as_text=True)
    assert PAPER not in page
    assert "answer-key" not in page


def test_learners_cannot_print_papers_keys_or_enter_results(client, people):
    login_as(client, people["learner"])
    assert client.get(PAPER).status_code == 403
    assert client.get(PAPER + "?answers=1").status_code == 403
    assert client.get(RESULTS).status_code == 403
    assert client.post(RESULTS, data={"learner": people["enrolment_id"], "correct": 5,
                                      "taken_on": date.today().isoformat()}).status_code == 403


def _enter(client, people, correct=4, taken_on=None, learner=None):
    return client.post(RESULTS, data={
        "learner": learner or people["enrolment_id"], "correct": correct,
        "taken_on": (taken_on or date.today() - timedelta(days=1)).isoformat()})


def test_a_trainer_enters_a_paper_result_which_is_recorded_and_audited(app, client, people):
    login_as(client, people["trainer"])
    page = client.get(RESULTS).get_data(as_text=True)
    assert people["learner"].display_name in page
    assert people["elsewhere"].display_name not in page  # another scheme's learner
    response = _enter(client, people, correct=4)
    assert response.status_code == 302
    page = client.get(RESULTS).get_data(as_text=True)
    assert f"Result saved for {people['learner'].display_name}: 4 out of 5, passed." in page
    with app.app_context():
        attempt = db.session.scalar(select(CheckAttempt))
        assert (attempt.source, attempt.correct, attempt.total, attempt.passed) == (
            "paper", 4, 5, True)
        assert attempt.entered_by_id == people["trainer"].id
        assert attempt.taken_on == date.today() - timedelta(days=1)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "learning.paper_result_entered"))
        assert event.actor_id == people["trainer"].id
        assert event.object_id == str(attempt.id)
        assert event.payload["correct"] == 4


def test_paper_results_count_towards_completion(app, client, people):
    learner = app.test_client()
    learner.post("/login", data={"username": people["learner"].username,
                                 "password": people["learner"].password})
    for lesson in ("listening/why-listening-matters", "listening/questions-that-help",
                   "agreements/making-agreements"):
        learner.post(f"/courses/basics/lessons/{lesson}/done")
    login_as(client, people["trainer"])
    _enter(client, people, correct=5)
    client.post("/courses/basics/checks/agreements/paper-results", data={
        "learner": people["enrolment_id"], "correct": 4,
        "taken_on": date.today().isoformat()})
    with app.app_context():
        assert db.session.get(Enrolment, people["enrolment_id"]).completed_at is not None


@pytest.mark.parametrize(("data", "message"), [
    ({"correct": 6}, "Enter a number from 0 to 5."),
    ({"correct": ""}, "Enter the number of correct answers."),
    ({"taken_on": date.today() + timedelta(days=1)}, "The date cannot be in the future."),
    ({"learner": 0}, "Choose the learner."),
])
def test_a_bad_entry_is_explained_and_kept(app, client, people, data, message):
    login_as(client, people["trainer"])
    form = {"learner": people["enrolment_id"], "correct": 3,
            "taken_on": date.today().isoformat(), **data}
    response = client.post(RESULTS, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'value="{form["taken_on"]}"' in page
    with app.app_context():
        assert db.session.scalar(select(CheckAttempt)) is None


def test_no_result_for_another_schemes_learner_or_oneself_or_beyond_the_limit(
        app, client, people):
    login_as(client, people["trainer"])
    with app.app_context():
        elsewhere = db.session.scalar(select(Enrolment.id).where(
            Enrolment.user_id == people["elsewhere"].id))
    response = _enter(client, people, learner=elsewhere)
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(
        as_text=True)
    _enter(client, people, correct=0)
    _enter(client, people, correct=0)  # basics allows 2 attempts
    response = _enter(client, people, correct=5)
    assert "Every attempt at this knowledge check has been used." in response.get_data(
        as_text=True)
    with app.app_context():
        assert [a.number for a in db.session.scalars(select(CheckAttempt))] == [1, 2]


def test_nobody_enters_their_own_result(app, catalogue, make_scheme, make_user):
    from lms.auth.models import User
    from lms.learning.paper_results import paper_result_refusal

    scheme = make_scheme()
    trainer = make_user(role="trainer", scheme=scheme)
    with app.app_context():
        enrolment = Enrolment(user_id=trainer.id, course_id=catalogue.ids["basics"],
                              scheme_id=scheme.id)
        db.session.add(enrolment)
        db.session.flush()
        user = db.session.get(User, trainer.id)
        assert paper_result_refusal(user, enrolment) == (
            "You cannot enter a result for yourself: another trainer must.")
        db.session.rollback()


def test_paper_pages_use_a_fixed_number_of_queries(app, client, people, catalogue, make_user,
                                                   count_queries):
    def queries(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    login_as(client, people["trainer"])
    _enter(client, people, correct=1)
    small = queries(RESULTS), queries(PAPER), queries("/courses/basics/answer-key")
    with app.app_context():
        enrolment = db.session.get(Enrolment, people["enrolment_id"])
        scheme, check_hash = SimpleNamespace(id=enrolment.scheme_id), db.session.scalar(
            select(CheckAttempt.check_hash))
    # more learners, with results entered by other trainers
    pairs = [(make_user(role="trainee", scheme=scheme), make_user(role="trainer", scheme=scheme))
             for _ in range(6)]
    with app.app_context():
        for learner, trainer in pairs:
            added = Enrolment(user_id=learner.id, course_id=catalogue.ids["basics"],
                              scheme_id=scheme.id)
            db.session.add(added)
            db.session.flush()
            db.session.add(CheckAttempt(
                enrolment_id=added.id, module_id=1, number=1, correct=3, total=5,
                passed=False, answers={}, source="paper", entered_by_id=trainer.id,
                check_hash=check_hash))
        db.session.commit()
    page = client.get(RESULTS).get_data(as_text=True)
    assert page.count("3 / 5 (not passed)") == 6
    assert (queries(RESULTS), queries(PAPER), queries("/courses/basics/answer-key")) == small
    assert small[0] <= 12
