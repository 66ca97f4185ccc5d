"""Counts read right in English now that they go through ngettext (issue 15): one attempt,
two attempts; never "attempt(s)"."""

from tests.helpers import login_as
from tests.learning.conftest import wrong_answers


def test_check_page_counts(client, catalogue, make_scheme, make_user):
    learner = make_user(role="trainee", scheme=make_scheme())
    login_as(client, learner)
    client.post("/courses/basics/enrol")
    course = client.get("/courses/basics").get_data(as_text=True)
    assert "about 2 hours" in course
    assert "2 attempts per knowledge check" in course
    url = "/courses/basics/checks/listening"
    page = client.get(url).get_data(as_text=True)
    assert "5 questions." in page
    assert "You have 2 attempts left." in page
    page = client.post(url, data=wrong_answers(client, url)).get_data(as_text=True)
    assert "You have 1 attempt left." in page
    assert "attempts left" not in page
