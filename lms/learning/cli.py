"""`flask --app lms courses ...`: check (and load) the course catalogue files, and check
the accreditation standards kept beside them."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.audit import services as audit
from lms.extensions import db
from lms.learning.content import read_catalogue, translation_findings
from lms.learning.content_welsh import source_lines
from lms.learning.loader import load_from
from lms.learning.occupational_standards import mapping_findings
from lms.learning.question_quality import catalogue_quality
from lms.learning.readability import readability_findings
from lms.yaml_files import Finding, course_folders, default_courses_path

courses_cli = AppGroup("courses", help="Check and load the course files under courses/.")
#: app.extensions key: checks of the other files kept beside the courses (the accreditation
#: standards), each root -> ([(count, what)], problems); registered in the app factory, so
#: learning depends on no other feature.
CATALOGUE_CHECKS = "lms.catalogue_checks"


@courses_cli.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
def check(path, strict):
    """Check the course files under PATH (default: the project's courses/ folder), and its
    standards.yaml if there is one, without touching the database. Exits with status 1 if
    there is any problem. Warnings (knowledge checks a test-wise learner could guess, gaps
    in the occupational standards mapping) do not stop a load; the shipped catalogue has
    none."""
    root = (path or default_courses_path()).resolve()
    courses, problems = read_catalogue(root)
    levels = []
    for check_files in current_app.extensions.get(CATALOGUE_CHECKS, []):
        counts, found = check_files(root)
        levels += [_count(n, what) for n, what in counts]
        problems += found
    for problem in problems:
        click.echo(f"{_relative(root.parent / problem.path)}:{problem.line}: {problem.message}")
    warnings = _warn(root) if root.is_dir() else []
    modules = [m for course in courses for m in course.modules]
    questions = sum(len(m.questions) for m in modules)
    checked = [_count(courses, "course"), _count(modules, "module"),
               _count(questions, "question"), *levels]
    summary = f"checked {', '.join(checked)}: {_count(problems, 'problem')}"
    skipped = len(course_folders(root)) - len(courses)
    click.echo(summary + (f" ({_count(skipped, 'more course')} cannot be loaded)"
                          if skipped else ""))
    if problems or (strict and warnings):
        click.get_current_context().exit(1)


@courses_cli.command("load")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def load(path):
    """Load or update the catalogue from PATH (default: courses/). Unchanged courses are
    left alone; a changed course gets a new version. Nothing is loaded if any file has a
    problem."""
    root = (path or default_courses_path()).resolve()
    report, problems = load_from(root)
    if problems:
        for problem in problems:
            click.echo(f"{_relative(root.parent / problem.path)}:{problem.line}: "
                       f"{problem.message}")
        click.echo(f"nothing loaded: {_count(problems, 'problem')}")
        click.get_current_context().exit(1)
    assert report is not None  # a report whenever there are no problems
    if report.created or report.updated:
        audit.record("courses.loaded", actor=None, object_type="catalogue", object_id="courses",
                     payload={"created": report.created, "updated": report.updated})
    db.session.commit()
    click.echo(f"courses loaded: {len(report.created)} new, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged")


@courses_cli.command("fingerprints")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=True, dir_okay=False))
def fingerprints(paths):
    """Print the fingerprints a Welsh translation records of the English it was translated
    from: for a module file (01-x.md), the `source:` mapping for the front matter of
    01-x.cy.md; for a knowledge check (01-x.check.yaml), each question's `source`; for a
    course.yaml, the `source` of its `cy:` block. Record them when a translation is written
    or brought up to date; `courses check` reports translations whose English has changed."""
    for path in paths:
        click.echo(f"# {_relative(path.resolve())}")
        for line in source_lines(path):
            click.echo(line)


def _warn(root: Path) -> list[Finding]:
    """Print the catalogue's warnings and knowledge-check figures (before the summary line,
    which stays last); the warnings."""
    findings, figures = catalogue_quality(root)
    readable, reading_ages = readability_findings(root)
    findings = sorted(findings + mapping_findings(root) + readable
                      + translation_findings(root))
    for path, line, message in findings:
        click.echo(f"{_relative(root.parent / path)}:{line}: warning: {message}")
    for figure in [*figures.lines(), *reading_ages]:
        click.echo(f"  {figure}")
    if findings:
        click.echo(_count(findings, "warning"))
    return findings


def _relative(path: Path) -> str:
    """The path from the current directory when it is below it, else as it is."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _count(items, noun: str) -> str:
    number = items if isinstance(items, int) else len(items)
    return f"{number} {noun}{'' if number == 1 else 's'}"
