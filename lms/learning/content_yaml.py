"""YAML side of the course-file checks: the fields of course.yaml and of knowledge-check
files (lms.yaml_files reads and parses them). Problems are (line, message) pairs; the caller
adds the file name. Nothing here raises for bad content."""

from __future__ import annotations

from lms.yaml_files import (
    Issue,
    Rule,
    YamlDoc,
    check_mapping,
    check_text_list,
    is_int,
    is_number,
    is_text,
)

#: A course's pathway stage (its place on the training pathway), in pathway order.
PATHWAY_STAGES = ("foundation", "facilitator", "advanced", "supervision", "trainer")
QUESTION_TYPES = ("single", "multiple")
MIN_QUESTIONS = 5

COURSE_RULES: dict[str, Rule] = {
    "title": (is_text, "must be non-empty text"),
    "summary": (is_text, "must be non-empty text"),
    "pathway_stage": (lambda v: isinstance(v, str) and v in PATHWAY_STAGES,
                      f"must be one of: {', '.join(PATHWAY_STAGES)}"),
    "prerequisites": (lambda v: isinstance(v, list),
                      "must be a list of course slugs ([] for none)"),
    "estimated_hours": (lambda v: is_number(v) and v > 0, "must be a number greater than 0"),
    "pass_mark": (lambda v: is_int(v) and 1 <= v <= 100, "must be a whole number from 1 to 100"),
    "max_attempts": (lambda v: is_int(v) and v >= 1,
                     "must be a whole number of at least 1 (leave it out for unlimited)"),
    "live_session": (lambda v: isinstance(v, dict),
                     "must be a mapping with 'required' and 'hours'"),
    # The highest reading age lessons and checks may read at (see readability.py).
    "reading_age": (lambda v: is_int(v) and 7 <= v <= 18, "must be a whole number of years "
                                                           "from 7 to 18"),
    # Checked against courses/occupational-standards.yaml by occupational_standards.py.
    "standards_map": (lambda v: isinstance(v, dict),
                      "must map each module slug to its 'units' and 'stages'"),
    # The course's languages and its Welsh title and summary (see content_welsh.py).
    "languages": (lambda v: isinstance(v, list) and bool(v) and v[0] == "en"
                  and set(v) <= {"en", "cy"} and len(set(v)) == len(v),
                  "must list the course's languages, English first: [en] or [en, cy]"),
    "cy": (lambda v: isinstance(v, dict), "must be the Welsh 'source', 'title' and 'summary'"),
    # Checked in detail by skills_content.py.
    "skills_practice": (lambda v: isinstance(v, dict),
                        "must be a mapping with 'not_yet' and 'skills'"),
}
#: Fields of course.yaml that were renamed (old name -> new): course authors may have old
#: files, so the old name gets a message naming the new one rather than "unknown field".
RENAMED_COURSE_FIELDS = {"level": "pathway_stage"}
LIVE_SESSION_RULES: dict[str, Rule] = {
    "required": (lambda v: isinstance(v, bool), "must be true or false"),
    "hours": (lambda v: is_number(v) and v >= 0, "must be a number of at least 0"),
}


def check_course(doc: YamlDoc) -> list[Issue]:
    """Problems in a parsed course.yaml (prerequisite slugs are checked against the catalogue
    later, by the caller)."""
    data = doc.data
    renamed = {old: new for old, new in RENAMED_COURSE_FIELDS.items()
               if isinstance(data, dict) and old in data}
    # an old name is reported once, as renamed, not also as unknown with the new one missing
    fields = {k: v for k, v in data.items() if k not in renamed} if renamed else data
    issues = check_mapping(doc, fields, COURSE_RULES, what="course.yaml",
                           optional=("max_attempts", "standards_map", "reading_age",
                                     "languages", "cy", "skills_practice", *renamed.values()))
    issues += [(doc.line(old), f"'{old}' is now called '{new}': write '{new}:' instead of "
                               f"'{old}:'") for old, new in renamed.items()]
    if not isinstance(data, dict):
        return issues
    issues += check_text_list(doc, data.get("prerequisites"), "prerequisites",
                              what="prerequisite")
    live = data.get("live_session")
    if isinstance(live, dict):
        issues += check_mapping(doc, live, LIVE_SESSION_RULES, "live_session")
        if live.get("required") is True and is_number(live.get("hours")) and live["hours"] <= 0:
            issues.append((doc.line("live_session", "hours"),
                           "'hours' must be greater than 0 when live training is required"))
    return issues


OPTION_RULES: dict[str, Rule] = {
    "text": (is_text, "must be non-empty text"),
    "correct": (lambda v: isinstance(v, bool), "must be true or false"),
}
QUESTION_RULES: dict[str, Rule] = {
    "prompt": (is_text, "must be non-empty text"),
    "type": (lambda v: isinstance(v, str) and v in QUESTION_TYPES, "must be single or multiple"),
    "options": (lambda v: isinstance(v, list) and len(v) >= 2, "must list at least 2 options"),
    "explanation": (is_text, "must be non-empty text"),
    # The question in Welsh (see content_welsh.py).
    "cy": (lambda v: isinstance(v, dict),
           "must be the Welsh 'source', 'prompt', 'options' and 'explanation'"),
}

#: A valid question as plain data: (prompt, type, ((text, correct), ...), explanation).
Question = tuple[str, str, tuple[tuple[str, bool], ...], str]


def check_questions(doc: YamlDoc) -> tuple[list[Question], list[Issue]]:
    """The questions of a knowledge check, and its problems (questions only if none)."""
    issues = check_mapping(doc, doc.data, {"questions": (
        lambda v: isinstance(v, list), "must be a list of questions")}, what="a knowledge check")
    if issues:
        return [], issues
    questions = doc.data["questions"]
    if len(questions) < MIN_QUESTIONS:
        issues.append((doc.line("questions"), f"a knowledge check needs at least {MIN_QUESTIONS}"
                                              f" questions (found {len(questions)})"))
    prompts: dict[str, int] = {}
    for n, question in enumerate(questions):
        issues += _check_question(doc, question, n)
        if isinstance(question, dict) and is_text(question.get("prompt")):
            prompt = question["prompt"].strip()
            if prompt in prompts:
                issues.append((doc.line("questions", n),
                               f"duplicate question (same prompt as line {prompts[prompt]})"))
            prompts.setdefault(prompt, doc.line("questions", n))
    if issues:
        return [], issues
    return [_question(q) for q in questions], []


def _check_question(doc: YamlDoc, question: object, n: int) -> list[Issue]:
    issues = check_mapping(doc, question, QUESTION_RULES, "questions", n, optional=("cy",),
                           what="a question")
    options = question.get("options") if isinstance(question, dict) else None
    if not isinstance(question, dict) or not isinstance(options, list):
        return issues
    texts: set[str] = set()
    for m, option in enumerate(options):
        issues += check_mapping(doc, option, OPTION_RULES, "questions", n, "options", m,
                                optional=("correct",), what="an option")
        if isinstance(option, dict) and is_text(option.get("text")):
            text = option["text"].strip()
            if text in texts:
                issues.append((doc.line("questions", n, "options", m),
                               f"duplicate option '{text}'"))
            texts.add(text)
    correct = sum(1 for o in options if isinstance(o, dict) and o.get("correct") is True)
    if correct == 0:
        issues.append((doc.line("questions", n), "question without a correct answer"))
    elif question.get("type") == "single" and correct > 1:
        issues.append((doc.line("questions", n), "a single-choice question must have exactly "
                                                  f"one correct option (found {correct})"))
    return issues


def _question(question: dict) -> Question:
    options = tuple((o["text"].strip(), o.get("correct", False)) for o in question["options"])
    return (question["prompt"].strip(), question["type"], options,
            question["explanation"].strip())
