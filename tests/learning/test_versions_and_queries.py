from sqlalchemy import func, select

from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment
from tests.helpers import login_as
from tests.learning.conftest import load, write_catalogue

LESSON_1 = "/courses/basics/lessons/listening/why-listening-matters"
LESSON_2 = "/courses/basics/lessons/listening/questions-that-help"


def _versions(app, slug="basics"):
    with app.app_context():
        return db.session.scalars(select(CourseVersion.number).join(
            Course, CourseVersion.course_id == Course.id).where(Course.slug == slug)
            .order_by(CourseVersion.number)).all()


def test_loading_twice_changes_nothing(app, catalogue):
    report = load(app, catalogue.root)
    assert report.created == []
    assert report.updated == []
    assert sorted(report.unchanged) == ["advanced", "basics"]
    assert _versions(app) == [1]


def test_a_changed_lesson_makes_a_new_version_and_keeps_progress_elsewhere(
        client, app, catalogue, make_scheme, make_user):
    login_as(client, make_user(role="trainee", scheme=make_scheme()))
    client.post("/courses/basics/enrol")
    client.post(LESSON_1 + "/done")
    client.post(LESSON_2 + "/done")
    assert "version 1" in client.get("/courses/basics").get_data(as_text=True)  # outline kept
    write_catalogue(catalogue.root, lesson_text="Listen first. (Revised wording.)")
    report = load(app, catalogue.root)
    assert report.updated == ["basics"]
    assert report.unchanged == ["advanced"]
    assert _versions(app) == [1, 2]
    page = client.get("/courses/basics").get_data(as_text=True)
    assert "version 2" in page
    # lesson 1 changed, so it is to do again; lesson 2 did not, so it stays done
    assert "done-mark" not in _lesson_item(page, "Why listening matters")
    assert "done-mark" in _lesson_item(page, "Questions that help")
    dashboard = client.get("/learning/").get_data(as_text=True)
    assert "Continue: Why listening matters" in dashboard


def _lesson_item(page, title):
    return page.split(f">{title}</a>")[1].split("</li>")[0]


def test_reverting_files_returns_to_the_earlier_version(app, catalogue):
    write_catalogue(catalogue.root, lesson_text="Changed.")
    load(app, catalogue.root)
    write_catalogue(catalogue.root)
    load(app, catalogue.root)
    assert _versions(app) == [1, 2]
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "basics"))
        assert course.current_version.number == 1


def _count_requests(count_queries, client, url):
    client.get(url)  # the first view of a course version reads its outline (kept after)
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_lesson_page_and_dashboard_use_a_fixed_number_of_queries(
        client, app, tmp_path, make_scheme, make_user, count_queries):
    scheme = make_scheme()
    user = make_user(role="trainee", scheme=scheme)
    others = [make_user(role="trainee", scheme=scheme) for _ in range(2)]
    small = write_catalogue(tmp_path / "small")
    load(app, small)
    login_as(client, user)
    client.post("/courses/basics/enrol")
    client.post(LESSON_1 + "/done")
    lesson_small = _count_requests(count_queries, client, LESSON_2)
    dashboard_small = _count_requests(count_queries, client, "/learning/")

    # many more courses, modules, lessons, learners and enrolments
    big = tmp_path / "big"
    write_catalogue(big)
    for n in range(6):
        folder = big / f"extra-{n}"
        folder.mkdir()
        (folder / "course.yaml").write_text((big / "basics" / "course.yaml").read_text()
                                           .replace("Basics", f"Extra {n}"))
        for module in range(1, 4):
            md = (big / "basics" / "01-listening.md").read_text()
            (folder / f"0{module}-part-{module}.md").write_text(
                md.replace("order: 1", f"order: {module}").replace("Listening", f"Part {module}")
                .replace("(02-agreements.md)", "(../basics/02-agreements.md)")
                + f"\n# Another lesson {n}\n\nMore text.\n")
            (folder / f"0{module}-part-{module}.check.yaml").write_text(
                (big / "basics" / "01-listening.check.yaml").read_text())
    load(app, big)
    with app.app_context():
        course_ids = db.session.scalars(select(Course.id).where(Course.slug.like("extra-%")))
        for course_id in course_ids:
            for person in [user, *others]:
                db.session.add(Enrolment(user_id=person.id, course_id=course_id))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 19
    assert _count_requests(count_queries, client, LESSON_2) == lesson_small
    assert _count_requests(count_queries, client, "/learning/") == dashboard_small
    assert dashboard_small <= 12
