"""Reading and checking courses/standards.yaml (lms.accreditation.standards), and
`flask courses check` on it."""

import os
import shutil

import pytest

from lms.accreditation import standards as standards_module
from lms.accreditation.standards import (
    Standards,
    default_standards_path,
    load_standards,
    read_standards,
)
from lms.accreditation.standards_checks import KINDS, PROCESS_TYPES, ROLES
from lms.practice import models as practice_models
from lms.yaml_files import course_folders, default_courses_path

SHIPPED_COURSES = {folder.name for folder in course_folders(default_courses_path())}

# Line numbers matter: the expected problems below name them.
MINI = """\
expiring_notice_days: 90
reminder_days: [90, 30]
attestations:
  code_of_practice: I follow the code.
levels:
  first:
    name: First
    summary: Does the first things.
    validity_months: 12
    requirements:
      - kind: course_completed
        course: basics
      - kind: attestation
        name: code_of_practice
    maintenance:
      - kind: cpd_hours
        hours: 6
  second:
    name: Second
    summary: Does more.
    validity_months: 24
    depends_on: first
    requirements:
      - kind: level_held
        level: first
        for_months: 6
      - kind: practice_records
        count: 3
        role: lead
    maintenance: []
"""


@pytest.fixture(autouse=True)
def clean_database():
    """Mostly pure functions: override the suite's per-test database reset."""
    return


def write(tmp_path, text, name="standards.yaml"):
    path = tmp_path / "courses" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read(tmp_path, text):
    return read_standards(write(tmp_path, text), {"basics"})


def problems(tmp_path, text):
    standards, found = read(tmp_path, text)
    assert standards is None
    assert {p.path for p in found} == {"courses/standards.yaml"}
    return [(p.line, p.message) for p in found]


def test_the_shipped_standards_have_no_problems():
    standards, found = read_standards(default_standards_path(), SHIPPED_COURSES)
    assert found == []
    assert list(standards.levels) == ["foundation", "intermediate", "advanced",
                                      "case_supervisor", "trainer"]
    assert [level.name for level in standards.levels.values()] == [
        "Foundation practitioner", "Intermediate practitioner", "Advanced practitioner",
        "Case supervisor", "Trainer"]
    assert standards.expiring_notice_days == 90
    assert standards.reminder_days == (90, 30)
    assert set(standards.attestations) == {"code_of_practice", "indemnity_insurance"}


def params(level, kind, maintenance=False):
    items = level.maintenance if maintenance else level.requirements
    return [dict(r.params) for r in items if r.kind == kind]


def test_the_shipped_figures_follow_the_domain():
    levels = load_standards().levels
    assert [params(levels[k], "cpd_hours", maintenance=True)[0]["hours"]
            for k in ("foundation", "intermediate", "advanced", "trainer")] == [6, 12, 16, 12]
    assert params(levels["advanced"], "cpd_hours")[0] == {
        "hours": 16.0, "within_months": 12, "min_approved_share": 0.5}
    assert levels["case_supervisor"].depends_on == ("advanced",)
    assert params(levels["case_supervisor"], "level_held") == [
        {"level": ("advanced",), "for_months": 24}]
    caseload = {"supervisees": 2, "within_weeks": 12}
    assert params(levels["case_supervisor"], "supervision_caseload") == [caseload]
    assert params(levels["case_supervisor"], "supervision_caseload", maintenance=True) == [
        caseload]
    # Trainer needs intermediate OR advanced, and lapses only when neither is held.
    assert levels["trainer"].depends_on == ("intermediate", "advanced")
    assert params(levels["trainer"], "level_held") == [{"level": ("intermediate", "advanced")}]
    assert params(levels["trainer"], "attestation", maintenance=True) == [
        {"name": "indemnity_insurance"}]
    assert params(levels["foundation"], "practice_records") == [
        {"count": 1, "role": ("co_facilitator", "lead"), "within_months": 12}]
    assert params(levels["intermediate"], "practice_records") == [
        {"count": 5, "within_months": 24},
        {"count": 3, "role": ("lead",), "within_months": 24},
        {"count": 3, "direct": True, "face_to_face": True, "within_months": 24}]
    assert params(levels["advanced"], "practice_records") == [
        {"count": 3, "role": ("co_facilitator",), "sensitive": True}]
    courses = {k: params(level, "course_completed") for k, level in levels.items()}
    assert courses == {"foundation": [{"course": ("facilitator",)}],
                       "intermediate": [{"course": ("sensitive-complex",)}], "advanced": [],
                       "case_supervisor": [{"course": ("case-supervision",)}],
                       "trainer": [{"course": ("trainer",)}]}
    for key in ("foundation", "intermediate", "advanced"):
        assert params(levels[key], "observations", maintenance=True) == [
            {"count": 1, "within_months": 12}]
        group, = [r for r in levels[key].maintenance if r.kind == "any_of"]
        assert [r.kind for r in group.params["of"]] == ["practice_records",
                                                        "course_completed"]
    assert all(level.validity_months == 12 for level in levels.values())


def test_the_vocabulary_matches_the_practice_log():
    assert tuple(practice_models.PRACTITIONER_ROLES) == ROLES
    assert tuple(practice_models.PROCESS_TYPES) == PROCESS_TYPES


def test_a_valid_file_reads_into_frozen_specs(tmp_path):
    standards, found = read(tmp_path, MINI)
    assert found == []
    assert isinstance(standards, Standards)
    first, second = standards.levels.values()
    assert (first.key, first.name, first.validity_months, first.depends_on) == (
        "first", "First", 12, ())
    assert second.depends_on == ("first",)
    assert second.maintenance == ()
    cpd = first.maintenance[0]
    assert (cpd.kind, dict(cpd.params), cpd.line) == (
        "cpd_hours", {"hours": 6.0, "within_months": 12}, 16)
    assert dict(second.requirements[1].params) == {"count": 3, "role": ("lead",)}
    assert len({second.requirements[0], second.requirements[0]}) == 1  # hashable
    with pytest.raises(TypeError):
        standards.levels["third"] = first


KIND_LIST = ", ".join(KINDS)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("kind: attestation", "kind: promise",
     [(13, f"unknown requirement kind 'promise' (one of: {KIND_LIST})")]),
    ("        count: 3\n", "        count: 3\n        signed: true\n",
     [(29, "unknown field 'signed'")]),
    ("        hours: 6\n", "", [(16, "missing field 'hours'")]),
    ("    summary: Does more.\n", "", [(18, "missing field 'summary'")]),
    ("- kind: attestation\n        name:", "- name:", [(13, "missing field 'kind'")]),
    ("      - kind: attestation\n        name: code_of_practice\n", "      - code_of_practice\n",
     [(13, "a requirement must be a mapping with a 'kind'")]),
    ("course: basics", "course: basic", [(12, "unknown course 'basic'")]),
    ("name: code_of_practice", "name: honesty",
     [(14, "unknown attestation 'honesty' (add it under 'attestations')")]),
    ("level: first", "level: frist", [(25, "unknown level 'frist'")]),
    ("level: first", "level:\n          - first\n          - third",
     [(27, "unknown level 'third'")]),
    ("level: first", "level: [first, first]",
     [(25, "'level' must be a level key or a list of different level keys "
      "(any one will do)")]),
    ("depends_on: first", "depends_on: zeroth",
     [(22, "'depends_on' names an unknown level 'zeroth'")]),
    ("count: 3", "count: three", [(28, "'count' must be a whole number of at least 1")]),
    ("role: lead", "role: leader",
     [(29, "'role' must be one of lead, co_facilitator, observer, or a list of them")]),
    ("role: lead", "role: [lead, lead]",
     [(29, "'role' must be one of lead, co_facilitator, observer, or a list of them")]),
    ("role: lead", "role: lead\n        direct: 'yes'", [(30, "'direct' must be true or false")]),
    ("role: lead", "role: lead\n        process_type: conference",
     [(30, "'process_type' must be one of instant, informal_meeting, formal_conference, "
           "indirect, circle, other, or a list of them")]),
    ("hours: 6", "hours: -1", [(17, "'hours' must be a number greater than 0")]),
    ("hours: 6", "hours: 6\n        min_approved_share: 1.5",
     [(18, "'min_approved_share' must be a number from 0 to 1 (0.5: at least half)")]),
    ("for_months: 6", "for_months: true",
     [(26, "'for_months' must be a whole number of at least 1")]),
    ("validity_months: 12", "validity_months: '12'",
     [(9, "'validity_months' must be a whole number of at least 1")]),
    ("reminder_days: [90, 30]", "reminder_days: [90, 90]",
     [(2, "'reminder_days' must be a list of different whole numbers of days, each at "
          "least 1")]),
    ("    requirements:\n      - kind: level_held",
     "    requirements: []\n    old:\n      - kind: level_held",
     [(23, "'requirements' must be a list of at least one requirement"),
      (24, "unknown field 'old'")]),
    ("name: Second", "name: First", [(19, "duplicate level name 'First' (also first)")]),
    ("  second:", "  Second:", [(18, "level key 'Second' must use lowercase letters, digits and "
                                     "_")]),
    ("    name: First\n", "    name: First\n    name: Again\n", [(8, "duplicate key 'name'")]),
    ("levels:", "levels: [", [(7, "invalid YAML: expected ',' or ']', but got ':'")]),
])
def test_each_problem_is_reported_on_its_line(tmp_path, old, new, expected):
    assert old in MINI
    assert problems(tmp_path, MINI.replace(old, new, 1)) == expected


GROUP = """\
      - kind: any_of
        of:
          - kind: course_completed
            course: [basics]
            within_months: 12
          - kind: cpd_hours
            hours: 3
"""


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("[basics]", "[basics, basics]", [(19, "'course' must be a course folder name or a list "
                                           "of different course folder names (any one will "
                                           "do)")]),
    ("[basics]", "[basics, advanced]", [(19, "unknown course 'advanced'")]),
    ("hours: 3", "hours: 0", [(22, "'hours' must be a number greater than 0")]),
    ("          - kind: cpd_hours\n            hours: 3\n", "",
     [(17, "'of' must be a list of at least two requirements")]),
    ("kind: any_of", "kind: at_least\n        count: 3",
     [(17, "'count' is 3 but only 2 requirements are listed under 'of'")]),
    ("kind: any_of", "kind: at_least", [(16, "missing field 'count'")]),
    ("kind: cpd_hours\n            hours: 3", "kind: hugs\n            hours: 3",
     [(21, f"unknown requirement kind 'hugs' (one of: {KIND_LIST})")]),
])
def test_groups_of_requirements_are_checked_inside(tmp_path, old, new, expected):
    text = MINI.replace("    maintenance:\n      - kind: cpd_hours\n        hours: 6\n",
                        "    maintenance:\n" + GROUP, 1)
    standards, found = read(tmp_path, text)
    assert found == []
    group, = standards.levels["first"].maintenance
    assert (group.kind, group.params["count"], len(group.params["of"])) == ("any_of", 1, 2)
    assert group.params["of"][0].params["course"] == ("basics",)
    assert group.params["of"][1].line == 21
    assert problems(tmp_path, text.replace(old, new, 1)) == expected


def test_depends_on_may_name_any_of_several_levels(tmp_path):
    text = MINI.replace("depends_on: first", "depends_on: [first, zeroth]")
    assert problems(tmp_path, text) == [(22, "'depends_on' names an unknown level 'zeroth'")]
    text = MINI.replace("depends_on: first", "depends_on: [first]")
    standards, found = read(tmp_path, text)
    assert found == []
    assert standards.levels["second"].depends_on == ("first",)


def test_a_file_that_is_not_a_mapping(tmp_path):
    assert problems(tmp_path, "- just a list\n") == [(1, "standards.yaml must be a mapping "
                                                          "of fields")]
    assert problems(tmp_path, "levels: {}\n") == [  # by line, then message
        (1, "'levels' must map each level key to its standard"),
        (1, "missing field 'attestations'"), (1, "missing field 'expiring_notice_days'"),
        (1, "missing field 'reminder_days'")]


def test_a_missing_file_is_a_problem_not_an_error(tmp_path):
    standards, found = read_standards(tmp_path / "courses" / "standards.yaml", set())
    assert standards is None
    assert [(p.line, p.message[:16]) for p in found] == [(1, "cannot read file")]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    validity_months: 12\n", "    validity_months: 12\n    depends_on: second\n",
     [(10, "level cycle: first -> second -> first")]),
    ("depends_on: first", "depends_on: second", [(22, "level cycle: second -> second")]),
    ("- kind: cpd_hours\n        hours: 6", "- kind: level_held\n        level: [second]",
     [(17, "level cycle: first -> second -> first")]),
])
def test_a_level_may_not_require_itself(tmp_path, old, new, expected):
    assert problems(tmp_path, MINI.replace(old, new, 1)) == expected


def test_a_longer_cycle_is_reported_once(tmp_path):
    text = MINI + """\
  third:
    name: Third
    summary: Does the most.
    validity_months: 12
    depends_on: second
    requirements:
      - kind: course_completed
        course: basics
    maintenance: []
"""
    text = text.replace("    validity_months: 12\n    requirements:\n      - kind: course_c",
                        "    validity_months: 12\n    depends_on: third\n    requirements:\n"
                        "      - kind: course_c", 1)
    assert problems(tmp_path, text) == [(10, "level cycle: first -> third -> second -> first")]


def test_the_hash_follows_the_content_not_the_layout(tmp_path):
    first = read(tmp_path, MINI)[0].content_hash
    assert read(tmp_path, MINI)[0].content_hash == first
    assert read(tmp_path, "# A comment for editors.\n" + MINI)[0].content_hash == first
    assert read(tmp_path, MINI.replace("hours: 6", "hours: 6.0"))[0].content_hash == first
    assert read(tmp_path, MINI.replace("hours: 6", "hours: 7"))[0].content_hash != first
    assert read(tmp_path, MINI.replace("count: 3", "count: 4"))[0].content_hash != first
    assert read(tmp_path, MINI.replace("I follow", "I keep"))[0].content_hash != first


def test_load_standards_rereads_an_edited_file(tmp_path, monkeypatch):
    path = write(tmp_path, MINI)
    (tmp_path / "courses" / "basics").mkdir()
    (tmp_path / "courses" / "basics" / "course.yaml").write_text("title: Basics\n")
    monkeypatch.setattr(standards_module, "default_courses_path", lambda: tmp_path / "courses")
    loaded = load_standards()
    assert load_standards() is loaded
    path.write_text(MINI.replace("validity_months: 24", "validity_months: 36"))
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 10**9))
    assert load_standards().levels["second"].validity_months == 36
    path.write_text(MINI.replace("course: basics", "course: missing"))
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 2 * 10**9))
    with pytest.raises(RuntimeError, match=r"courses/standards.yaml:12: unknown course"):
        load_standards()


def test_check_command_counts_the_levels(runner):
    result = runner.invoke(args=["courses", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(", 5 accreditation levels: 0 problems\n")


def test_check_command_reports_a_broken_standards_file(runner, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(default_courses_path(), root)
    path = root / "standards.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[:text.index("course: trainer")].count("\n") + 1
    path.write_text(text.replace("course: trainer", "course: trainers"), encoding="utf-8")
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{path}:{line}: unknown course 'trainers'"
    assert result.output.splitlines()[-1].endswith(
        " questions, 0 accreditation levels: 1 problem")


def test_check_command_without_a_standards_file_says_nothing_of_levels(runner, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(default_courses_path() / "foundation", root / "foundation")
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert "accreditation" not in result.output


def test_course_folders_are_those_holding_a_course_file(tmp_path):
    from lms.yaml_files import course_slugs

    for name in ("b-course", "a-course", "notes"):
        (tmp_path / name).mkdir()
    (tmp_path / "b-course" / "course.yaml").write_text("slug: b-course\n")
    (tmp_path / "a-course" / "course.yaml").write_text("slug: a-course\n")
    (tmp_path / "notes" / "readme.md").write_text("not a course\n")
    (tmp_path / "course.yaml").write_text("a file at the top is not a course folder\n")
    assert course_slugs(tmp_path) == {"a-course", "b-course"}
    assert course_folders(tmp_path) == [tmp_path / "a-course", tmp_path / "b-course"]
    (tmp_path / "notes" / "course.yaml").write_text("slug: notes\n")  # seen at once
    assert course_slugs(tmp_path) == {"a-course", "b-course", "notes"}
    assert course_slugs(tmp_path / "missing") == frozenset()
    assert course_folders(tmp_path / "missing") == []
