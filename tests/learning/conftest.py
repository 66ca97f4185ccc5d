"""A small catalogue written to a temporary folder, loaded through the real loader."""

import textwrap
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.learning.content import read_catalogue
from lms.learning.loader import load_catalogue
from lms.learning.models import Course
from tests.helpers import check_form


def question(n):
    return textwrap.dedent(f"""\
      - prompt: Question {n}?
        type: single
        options:
          - text: Wrong {n}
          - text: Right {n}
            correct: true
        explanation: Because {n}.
    """)


def check_yaml(count=5):
    return "questions:\n" + "".join(textwrap.indent(question(n), "  ") for n in range(count))


def module_md(title, order, lessons):
    body = "\n".join(f"# {name}\n\n{text}\n" for name, text in lessons)
    return f"---\ntitle: {title}\norder: {order}\noutcomes:\n  - Do {title}\n---\n\n{body}"


def course_yaml(title, prerequisites=(), live_hours=0, max_attempts=None, pass_mark=80):
    lines = [f"title: {title}", f"summary: About {title}.", "pathway_stage: foundation",
             f"prerequisites: [{', '.join(prerequisites)}]", "estimated_hours: 2",
             f"pass_mark: {pass_mark}"]
    if max_attempts:
        lines.append(f"max_attempts: {max_attempts}")
    lines += ["live_session:", f"  required: {'true' if live_hours else 'false'}",
              f"  hours: {live_hours}"]
    return "\n".join(lines) + "\n"


def write_catalogue(root, lesson_text="Listen first, then ask what happened."):
    files = {
        "basics/course.yaml": course_yaml("Basics", max_attempts=2),
        "basics/01-listening.md": module_md("Listening", 1, [
            ("Why listening matters", lesson_text),
            ("Questions that help", "Ask who has been affected. See [next](02-agreements.md)."),
        ]),
        "basics/01-listening.check.yaml": check_yaml(),
        "basics/02-agreements.md": module_md("Agreements", 2, [
            ("Making agreements", "Agreements are specific and realistic."),
        ]),
        "basics/02-agreements.check.yaml": check_yaml(),
        "advanced/course.yaml": course_yaml("Advanced", prerequisites=["basics"], live_hours=6),
        "advanced/01-complex.md": module_md("Complex cases", 1, [("Extended preparation",
                                                                 "Prepare for longer.")]),
        "advanced/01-complex.check.yaml": check_yaml(),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def load(app, root):
    courses, problems = read_catalogue(root)
    assert problems == []
    with app.app_context():
        report = load_catalogue(courses)
        db.session.commit()
        return report


@pytest.fixture
def catalogue(app, tmp_path):
    root = write_catalogue(tmp_path / "courses")
    load(app, root)
    with app.app_context():
        ids = {c.slug: c.id for c in db.session.scalars(select(Course))}
    return SimpleNamespace(root=root, ids=ids)


def right_answers(client, url):
    """Form data answering every question of the check at `url` correctly ("Right" options)."""
    options, hidden = check_form(client, url)
    return {**hidden, **{name: next(v for v, label in choices if label.startswith(
        "Right")) for name, choices in options.items()}}


def wrong_answers(client, url):
    """Form data answering every question of the check at `url` wrongly ("Wrong" options)."""
    options, hidden = check_form(client, url)
    return {**hidden, **{name: next(v for v, label in choices if label.startswith(
        "Wrong")) for name, choices in options.items()}}
