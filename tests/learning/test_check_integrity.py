"""Issue 10 for knowledge checks: no answers to copy, shuffled options, attempt limits and
duplicate posts enforced by the database."""

import re
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.learning.models import CheckAttempt, Enrolment, LessonCompletion
from tests.helpers import login_as
from tests.learning.conftest import check_form, right_answers, wrong_answers

CHECK_1 = "/courses/basics/checks/listening"
LESSON_1 = "/courses/basics/lessons/listening/why-listening-matters"


@pytest.fixture
def learner(client, catalogue, make_scheme, make_user):
    user = make_user(role="trainee", scheme=make_scheme())
    login_as(client, user)
    client.post("/courses/basics/enrol")
    return user


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_failed_attempt_explains_but_does_not_give_the_correct_answers(client, learner):
    page = client.post(CHECK_1, data=wrong_answers(client, CHECK_1)).get_data(as_text=True)
    assert "You scored 0 out of 5 (0%): not passed yet" in page
    assert "Because 3." in page  # the explanation of the learner's own answer
    assert "(your answer)" in page
    assert "✓ correct" not in page
    assert "The correct answers are shown once you pass or have used your last attempt" in page


def test_the_last_attempt_shows_the_correct_answers(client, learner):
    client.post(CHECK_1, data=wrong_answers(client, CHECK_1))
    page = client.post(CHECK_1, data=wrong_answers(client, CHECK_1)).get_data(as_text=True)
    assert "You have 0 attempts left" in page
    assert page.count("✓ correct") == 5


def test_passing_shows_the_correct_answers(client, learner):
    page = client.post(CHECK_1, data=right_answers(client, CHECK_1)).get_data(as_text=True)
    assert "passed" in page
    assert page.count("✓ correct") == 5


def _shown_order(client, url):
    options, _attempt = check_form(client, url)
    return [[label for _value, label in choices] for choices in options.values()]


def test_options_are_shuffled_per_attempt_and_stable_when_shown_again(app, client, learner,
                                                                      make_user):
    first = _shown_order(client, CHECK_1)
    assert _shown_order(client, CHECK_1) == first  # re-render: the same paper
    client.post(CHECK_1, data=wrong_answers(client, CHECK_1))
    second = _shown_order(client, CHECK_1)
    assert second != first
    assert {frozenset(q) for q in second} == {frozenset(q) for q in first}
    with app.app_context():
        attempt = db.session.scalar(select(CheckAttempt))
        assert attempt.number == 1
        assert len(attempt.paper) == 5


def test_option_values_are_positions_on_the_paper_not_the_file_order(client, learner):
    options, _attempt = check_form(client, CHECK_1)
    rights = [value for choices in options.values() for value, label in choices
              if label.startswith("Right")]
    assert set(rights) == {"0", "1"}  # shuffled: the right option is not always second


def test_a_resubmitted_paper_is_not_stored_twice(app, client, learner):
    answers = wrong_answers(client, CHECK_1)
    client.post(CHECK_1, data=answers)
    response = client.post(CHECK_1, data=answers, follow_redirects=True)
    assert "That attempt had already been submitted" in response.get_data(as_text=True)
    assert _count(app, CheckAttempt) == 1


def test_the_answers_are_a_form_that_rejects_junk(app, client, learner):
    answers = right_answers(client, CHECK_1)
    first = next(name for name in answers if name.startswith("q"))
    response = client.post(CHECK_1, data={**answers, first: "²"})
    assert response.status_code == 400
    assert "Choose from the answers shown." in response.get_data(as_text=True)
    response = client.post(CHECK_1, data={**answers, first: "7"})
    assert response.status_code == 400
    assert _count(app, CheckAttempt) == 0


def test_answers_given_on_another_paper_are_not_read_against_this_one(app, client, learner):
    answers = right_answers(client, CHECK_1)
    response = client.post(CHECK_1, data={**answers, "shown": "0123456789abcdef"})
    assert response.status_code == 400
    assert "This check changed after you opened it. Please answer it again." in (
        response.get_data(as_text=True))
    assert _count(app, CheckAttempt) == 0


def test_the_database_refuses_an_attempt_beyond_the_limit_or_a_duplicate_number(app, learner):
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))

        def attempt(number, limit=2):
            return CheckAttempt(enrolment_id=enrolment.id, module_id=1, check_hash="h",
                                number=number, attempt_limit=limit, correct=0, total=5,
                                passed=False, answers={})
        db.session.add(attempt(3))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.add_all([attempt(1), attempt(1)])
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def _simultaneously(app, user, count, request):
    """Sign in `count` clients as `user`, then fire `request(client)` from all at once."""
    clients = []
    for _ in range(count):
        c = app.test_client()
        c.post("/login", data={"username": user.username, "password": user.password})
        clients.append(c)
    barrier = threading.Barrier(count)
    statuses = []

    def run(c):
        barrier.wait()
        statuses.append(request(c).status_code)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_ten_simultaneous_submissions_store_one_attempt(app, client, learner):
    answers = wrong_answers(client, CHECK_1)
    statuses = _simultaneously(app, learner, 10, lambda c: c.post(CHECK_1, data=answers))
    assert 500 not in statuses
    assert len(statuses) == 10
    assert _count(app, CheckAttempt) == 1


def test_simultaneous_submissions_of_every_attempt_number_stay_within_the_limit(app, client,
                                                                                learner):
    answers = wrong_answers(client, CHECK_1)
    numbers = iter(range(1, 11))
    lock = threading.Lock()

    def post(c):
        with lock:
            number = next(numbers)
        return c.post(CHECK_1, data={**answers, "attempt": str(number)})

    statuses = _simultaneously(app, learner, 10, post)
    assert 500 not in statuses
    assert 1 <= _count(app, CheckAttempt) <= 2  # basics allows 2 attempts


def test_simultaneous_mark_as_done_records_it_once(app, client, learner):
    statuses = _simultaneously(app, learner, 10, lambda c: c.post(LESSON_1 + "/done"))
    assert set(statuses) == {302}
    assert _count(app, LessonCompletion) == 1


def test_simultaneous_enrolment_enrols_once(app, catalogue, make_scheme, make_user):
    user = make_user(role="trainee", scheme=make_scheme())
    statuses = _simultaneously(app, user, 8, lambda c: c.post("/courses/basics/enrol"))
    assert set(statuses) == {302}
    assert _count(app, Enrolment) == 1


def test_printed_course_keeps_answers_for_staff_only(client, catalogue, make_scheme,
                                                    make_user):
    scheme = make_scheme()
    login_as(client, make_user(role="trainee", scheme=scheme))
    page = client.get("/courses/basics/print").get_data(as_text=True)
    assert "Because 2." not in page
    assert "answer-key" not in page
    assert client.get("/courses/basics/answer-key").status_code == 403
    client.post("/logout")
    login_as(client, make_user(role="trainer", scheme=scheme))
    page = client.get("/courses/basics/print").get_data(as_text=True)
    assert 'href="/courses/basics/answer-key"' in page
    key = client.get("/courses/basics/answer-key").get_data(as_text=True)
    assert "Because 2." in key
    assert len(re.findall(r"Right \d+ <strong class=\"answer-right\">✓ correct", key)) == 10


def test_the_check_page_uses_a_fixed_number_of_queries(client, learner, count_queries):
    def queries():
        with count_queries() as counter:
            assert client.get(CHECK_1).status_code == 200
        return counter.count

    first = queries()
    client.post(CHECK_1, data=wrong_answers(client, CHECK_1))
    assert queries() == first <= 12


def test_the_last_two_steps_stored_at_once_still_complete_the_course(app, client, learner):
    lessons = ["/courses/basics/lessons/listening/questions-that-help",
               "/courses/basics/lessons/agreements/making-agreements"]
    client.post(LESSON_1 + "/done")
    client.post(lessons[0] + "/done")
    client.post(CHECK_1, data=right_answers(client, CHECK_1))
    answers = right_answers(client, "/courses/basics/checks/agreements")
    posts = iter([(lessons[1] + "/done", {}), ("/courses/basics/checks/agreements", answers)])
    lock = threading.Lock()

    def post(c):
        with lock:
            url, data = next(posts)
        return c.post(url, data=data)

    statuses = _simultaneously(app, learner, 2, post)
    # neither a server error nor a deadlock answered 503: both steps are stored
    assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(Enrolment.completed_at)) is not None, statuses
