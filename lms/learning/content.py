"""The course catalogue as files (see courses/README.md) read whole into plain, frozen specs:
each course folder read (content_folder), then the checks between courses (prerequisites,
links, titles) and each course's spec with its content hash (content_specs).

Pure: no database and no application. `read_catalogue` returns only courses without any
problem (and whose prerequisites are all returned too), plus every problem found, each with
its file and line. The Markdown, YAML and Welsh details live in content_markdown,
content_yaml and content_welsh.
"""

from __future__ import annotations

from pathlib import Path

from lms.learning.content_folder import CourseFolder, read_course_folder, stray_folder
from lms.learning.content_markdown import ModuleIndex, link_problem
from lms.learning.content_specs import CourseSpec, canonical_course, digest
from lms.learning.occupational_standards import read_framework
from lms.learning.skills_content import skills_practice_spec
from lms.yaml_files import Finding, Problem, course_folders


def read_catalogue(root: Path) -> tuple[list[CourseSpec], list[Problem]]:
    """Every valid course under `root` and every problem found. Never raises for bad
    content. A course with a problem is left out, and so is any course needing it."""
    root = Path(root).resolve()
    if not root.is_dir():
        return [], [Problem(root.name, 1, "course catalogue folder not found")]
    framework, _findings = read_framework(root)
    stages = set(framework.stages) if framework else None
    courses = {folder.name: read_course_folder(folder, root.parent, stages)
               for folder in course_folders(root)}
    stray = [stray_folder(folder, root.parent) for folder in sorted(root.iterdir())]
    _check_prerequisites(courses)
    _check_links(courses)
    _check_titles(courses)
    problems = sorted([p for p in stray if p] + [p for c in courses.values() for p in c.problems],
                      key=lambda p: (p.path, p.line, p.message))
    return [_course_spec(courses[slug]) for slug in _loadable(courses)], problems


def _check_prerequisites(courses: dict[str, CourseFolder]) -> None:
    graph: dict[str, list[str]] = {}
    for course in courses.values():
        seen = set()
        for slug, line in course.prerequisites:
            if slug == course.slug:
                course.problem(course.yaml_path, line, "a course cannot be its own prerequisite")
            elif slug in seen:
                course.problem(course.yaml_path, line, f"duplicate prerequisite '{slug}'")
            elif slug not in courses:
                course.problem(course.yaml_path, line, f"unknown prerequisite '{slug}'")
            else:
                graph.setdefault(course.slug, []).append(slug)
            seen.add(slug)
    for cycle in _cycles(graph):
        course = courses[cycle[0]]
        line = dict(course.prerequisites)[cycle[1]]
        course.problem(course.yaml_path, line, "prerequisite cycle: " + " -> ".join(cycle))


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle once, starting from its alphabetically first course, e.g. [a, b, a]."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for successor in graph.get(node, []):
            if state.get(successor) == "open":
                loop = [*path[path.index(successor):], node]
                start = loop.index(min(loop))
                cycle = loop[start:] + loop[:start]
                if cycle + cycle[:1] not in found:
                    found.append(cycle + cycle[:1])
            elif successor not in state:
                visit(successor, [*path, node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def _check_links(courses: dict[str, CourseFolder]) -> None:
    index: ModuleIndex = {slug: course.lesson_slugs for slug, course in courses.items()}
    for course in courses.values():
        for path, line, href in course.links:
            message = link_problem(href, course.slug, index)
            if message:
                course.problem(path, line, message)


def _check_titles(courses: dict[str, CourseFolder]) -> None:
    titles: dict[str, str] = {}
    for course in courses.values():
        if course.doc is None:
            continue
        title = course.doc.data["title"].strip()
        if title in titles:
            course.problem(course.yaml_path, course.doc.line("title"),
                           f"duplicate course title '{title}' (also {titles[title]})")
        titles.setdefault(title, course.yaml_path)


def _loadable(courses: dict[str, CourseFolder]) -> list[str]:
    """Courses without problems whose prerequisites are all loadable, by slug."""
    ok = {slug for slug, course in courses.items() if not course.problems}
    changed = True
    while changed:
        blocked = {slug for slug in ok
                   if any(p not in ok for p, _ in courses[slug].prerequisites)}
        ok -= blocked
        changed = bool(blocked)
    return sorted(ok)


def _course_spec(course: CourseFolder) -> CourseSpec:
    assert course.doc is not None  # only courses without problems get here
    data = course.doc.data
    live = data["live_session"]
    fields = {
        "slug": course.slug, "title": data["title"].strip(), "summary": data["summary"].strip(),
        "pathway_stage": data["pathway_stage"], "prerequisites": tuple(data["prerequisites"]),
        "estimated_hours": float(data["estimated_hours"]), "pass_mark": data["pass_mark"],
        "max_attempts": data.get("max_attempts"), "live_required": live["required"],
        "live_hours": float(live["hours"]),
        "modules": tuple(sorted(course.modules, key=lambda m: m.order)),
    }
    canonical = canonical_course(fields)
    welsh = _welsh_canonical(course)
    if welsh:  # English-only courses keep the hash they had before Welsh was supported
        canonical["welsh"] = welsh
    practice = skills_practice_spec(data)
    if practice is not None:  # only then, so courses without it keep their hashes
        canonical["skills_practice"] = practice.as_stored()
    return CourseSpec(**fields, content_hash=digest(canonical), welsh=course.welsh,
                      cy=course.cy, skills_practice=practice)


def _welsh_canonical(course: CourseFolder) -> list | None:
    """Everything Welsh in the course (a change makes a new version), None if nothing."""
    modules = [[m.slug, m.cy_title, list(m.cy_outcomes or ()),
                [[x.cy.title, x.cy.body] if x.cy else None for x in m.lessons],
                [[q.cy.prompt, list(q.cy.options), q.cy.explanation] if q.cy else None
                 for q in m.questions]]
               for m in sorted(course.modules, key=lambda m: m.order)]
    has_welsh = course.welsh or course.cy or any(
        m.cy_title or any(x.cy for x in m.lessons) or any(q.cy for q in m.questions)
        for m in course.modules)
    if not has_welsh:
        return None
    return [course.welsh, [course.cy.title, course.cy.summary] if course.cy else None, modules]


def translation_findings(root: Path) -> list[Finding]:
    """Outdated Welsh translations (warnings) in courses that declare Welsh, by file and
    line. Missing ones are problems, reported by `read_catalogue`."""
    root = Path(root).resolve()
    if not root.is_dir():
        return []
    return sorted(finding for folder in course_folders(root)
                  for finding in read_course_folder(folder, root.parent).translations.warnings)
