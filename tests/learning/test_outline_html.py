"""The course page's outline is rendered once per course version, language and viewer
kind (lms.learning.outline_html) and put together with each learner's own marks."""

from lms.learning import outline_html
from tests.helpers import login_as

COURSE = "/courses/basics"
LESSON_1 = "/courses/basics/lessons/listening/why-listening-matters"


def _lesson_item(page, title):
    return page.split(f">{title}</a>")[1].split("</li>")[0]


def _counting_renders(monkeypatch):
    calls = []
    render = outline_html._render

    def counted(*args):
        calls.append(args[0])
        return render(*args)

    monkeypatch.setattr(outline_html, "_render", counted)
    return calls


def test_the_outline_is_rendered_once_and_each_learner_sees_their_own_marks(
        app, catalogue, make_scheme, make_user, monkeypatch):
    renders = _counting_renders(monkeypatch)
    scheme = make_scheme()
    done, fresh = (login_as(app, make_user(role="trainee", scheme=scheme)) for _ in range(2))
    for client in (done, fresh):
        client.post(COURSE + "/enrol")
    done.post(LESSON_1 + "/done")
    first = done.get(COURSE).get_data(as_text=True)
    second = fresh.get(COURSE).get_data(as_text=True)
    assert renders == ["basics"]  # the second learner's page reused the first's outline
    assert "done-mark" in _lesson_item(first, "Why listening matters")
    assert "done-mark" not in _lesson_item(second, "Why listening matters")
    assert f'<a href="{LESSON_1}">Why listening matters</a>' in second
    assert '<a href="/courses/basics/checks/listening">Knowledge check</a>' in second
    assert "1/2 lessons" in first
    assert "0/2 lessons" in second


def test_a_welsh_page_gets_a_welsh_outline_after_an_english_one(
        client, catalogue, make_scheme, make_user, monkeypatch):
    renders = _counting_renders(monkeypatch)
    login_as(client, make_user(role="trainee", scheme=make_scheme()))
    client.post(COURSE + "/enrol")
    english = client.get(COURSE).get_data(as_text=True)
    client.post("/language", data={"language": "cy", "next": COURSE})
    welsh = client.get(COURSE).get_data(as_text=True)
    assert ">Knowledge check</a>" in english
    assert "Gwiriad gwybodaeth" not in english
    assert ">Gwiriad gwybodaeth</a>" in welsh
    assert ">Knowledge check</a>" not in welsh
    # English content on a Welsh page says so on each link
    assert f'<a href="{LESSON_1}" lang="en">Why listening matters</a>' in welsh
    assert len(renders) == 2
    client.get(COURSE)
    assert len(renders) == 2  # each language's outline kept


def test_a_changed_course_is_rendered_again(app, client, catalogue, make_scheme, make_user):
    from tests.learning.conftest import load, write_catalogue

    login_as(client, make_user(role="trainee", scheme=make_scheme()))
    client.post(COURSE + "/enrol")
    assert "Why listening matters" in client.get(COURSE).get_data(as_text=True)
    write_catalogue(catalogue.root, lesson_text="Listen first. (Revised wording.)")
    module_file = catalogue.root / "basics" / "01-listening.md"
    module_file.write_text(module_file.read_text().replace(
        "Why listening matters", "Why we listen first"))
    load(app, catalogue.root)
    page = client.get(COURSE).get_data(as_text=True)
    assert ">Why we listen first</a>" in page
    assert "Why listening matters" not in page
