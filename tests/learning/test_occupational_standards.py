"""Modules mapped to the national occupational standards and the seven stages: the shipped
mapping, the `courses check` warnings about it, and the course page showing it."""

import shutil

import yaml

from lms.learning.occupational_standards import (
    STANDARDS_FILE,
    course_mapping,
    mapping_findings,
    read_framework,
)
from lms.practice.models import STAGES
from lms.yaml_files import default_courses_path
from tests.helpers import login_as


def copy_catalogue(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(default_courses_path(), root)
    return root


def edit_course(root, slug, change):
    path = root / slug / "course.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, default_flow_style=None))


def test_the_shipped_mapping_covers_every_unit_and_stage_in_the_facilitator_course():
    root = default_courses_path()
    assert mapping_findings(root) == []
    framework, problems = read_framework(root)
    assert problems == []
    assert framework.covered_by == "facilitator"
    assert list(framework.units) == ["SFJDJ101", "SFJDJ102", "SFJDJ103", "SFJDJ104"]
    mapping = course_mapping(root, "facilitator")
    taught = {code for module in mapping.modules.values() for code, _ in module.units}
    assert taught == set(framework.units)
    assert len(mapping.modules) == 13


def test_the_stages_are_the_practice_records_stages():
    framework, _ = read_framework(default_courses_path())
    assert framework.stages == STAGES


def test_a_module_left_out_of_the_mapping_warns(tmp_path):
    root = copy_catalogue(tmp_path)
    edit_course(root, "foundation", lambda d: d["standards_map"].pop("restorative-language"))
    assert [(path, message) for path, _, message in mapping_findings(root)] == [
        ("courses/foundation/course.yaml", "module 'restorative-language' is not in "
                                           "standards_map")]


def test_unknown_units_stages_and_modules_warn_with_their_line(tmp_path):
    root = copy_catalogue(tmp_path)

    def spoil(data):
        data["standards_map"]["restorative-principles"] = {"units": ["SFJDJ999"],
                                                           "stages": ["sentencing"]}
        data["standards_map"]["no-such-module"] = {"units": [], "stages": [], "note": "x"}

    edit_course(root, "foundation", spoil)
    lines = (root / "foundation" / "course.yaml").read_text().splitlines()
    found = mapping_findings(root)
    messages = {message for _, _, message in found}
    assert messages == {"unknown units: SFJDJ999", "unknown stages: sentencing",
                        "standards_map names no module of this course: 'no-such-module'"}
    for path, line, message in found:
        assert path == "courses/foundation/course.yaml"
        assert ("SFJDJ999" in lines[line - 1]) == (message == "unknown units: SFJDJ999")


def test_a_unit_no_facilitator_module_covers_warns(tmp_path):
    root = copy_catalogue(tmp_path)

    def drop_evaluation(data):
        for entry in data["standards_map"].values():
            entry["units"] = [u for u in entry["units"] if u != "SFJDJ104"]

    edit_course(root, "facilitator", drop_evaluation)
    assert mapping_findings(root) == [
        ("courses/facilitator/course.yaml", 1, "no module of this course covers SFJDJ104 "
                                               "(Evaluate the outcomes from a restorative "
                                               "process)")]


def test_an_empty_mapping_needs_a_note(tmp_path):
    root = copy_catalogue(tmp_path)
    edit_course(root, "trainer",
                lambda d: d["standards_map"]["how-adults-learn"].pop("note"))
    assert [m for _, _, m in mapping_findings(root)] == [
        "a module mapped to no unit and no stage needs a 'note' saying why"]


def test_check_command_fails_strictly_on_a_mapping_gap(runner, tmp_path):
    root = copy_catalogue(tmp_path)
    (root / STANDARDS_FILE).write_text(
        (root / STANDARDS_FILE).read_text().replace("covered_by: facilitator",
                                                    "covered_by: trainer"))
    result = runner.invoke(args=["courses", "check", "--strict", str(root)])
    assert result.exit_code == 1
    assert "no module of this course covers co_working (Co-working)" in result.output


def test_the_course_page_shows_each_modules_units_and_stages(client, runner, make_scheme,
                                                             make_user):
    assert runner.invoke(args=["courses", "load"]).exit_code == 0
    login_as(client, make_user(role="trainee", scheme=make_scheme()))
    page = client.get("/courses/facilitator").get_data(as_text=True)
    assert "National occupational standards" in page
    assert ('<abbr title="Assess the circumstances of an incident towards identifying a '
            'restorative response">SFJDJ101</abbr>') in page
    assert "Stages: Risk and safety assessment" in page
    assert "<strong>SFJDJ104</strong> Evaluate the outcomes from a restorative process" in page
    trainer = client.get("/courses/trainer").get_data(as_text=True)
    assert "(How adults learn is the trainer&#39;s own practice, not a practitioner unit)" \
        in trainer
