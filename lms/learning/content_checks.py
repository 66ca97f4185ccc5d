"""YAML side of the course-file checks: reading files, parsing YAML with line numbers, and
validating course.yaml and knowledge checks. Problems are (line, message) pairs; the caller
adds the file name. Nothing here raises for bad content."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from lms.yaml_files import (
    Issue,
    Rule,
    YamlDoc,
    check_mapping,
    check_text_list,
    is_int,
    is_number,
    is_text,
    parse_yaml,
    read_text,
)

#: A course's stage on the training pathway, in pathway order.
PATHWAY_STAGES = ("foundation", "facilitator", "advanced", "supervision", "trainer")
QUESTION_TYPES = ("single", "multiple")
MIN_QUESTIONS = 5

COURSE_RULES: dict[str, Rule] = {
    "title": (is_text, "must be non-empty text"),
    "summary": (is_text, "must be non-empty text"),
    "stage": (lambda v: isinstance(v, str) and v in PATHWAY_STAGES,
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
RENAMED_COURSE_FIELDS = {"level": "stage"}
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


# Knowledge-check quality: patterns a test-wise learner could use to pass without
# understanding. These are warnings, not problems: the course still loads, but the shipped
# catalogue must have none (tests/learning/test_content_quality.py).

#: Warn when a pattern this strong would turn up by chance less often than this.
CHANCE_LEVEL = 0.05
#: Prompts this similar (0 to 1, after normalising case, punctuation and spacing) count as
#: the same question asked twice.
REPEAT_SIMILARITY = 0.85
#: ... or share this much of their topic words and have the same correct answer.
REPEAT_TOPIC_SHARE = 0.6
#: Multiple-answer questions with exactly one wrong option may be at most this share of a
#: course's multiple-answer questions (from this many such questions up).
ONE_WRONG_SHARE, ONE_WRONG_MIN_QUESTIONS = 0.5, 3

#: A warning: (path as shown, line, message).
Finding = tuple[str, int, str]


@dataclass(frozen=True)
class CheckQuestion:
    """A well-formed knowledge-check question and where it is."""

    course: str  #: course folder name
    path: str  #: as shown, e.g. "courses/foundation/01-x.check.yaml"
    line: int
    prompt: str
    kind: str  #: single | multiple
    options: tuple[tuple[str, bool], ...]

    @property
    def is_true_false(self) -> bool:
        """Two options, one starting "True" and one "False" ("False: it must match")."""
        return (self.kind == "single" and len(self.options) == 2
                and {_first_word(t) for t, _ in self.options} == {"true", "false"})

    @property
    def true_is_correct(self) -> bool:
        """For a true/false question: whether the answer is true."""
        return dict((_first_word(t), c) for t, c in self.options)["true"]

    @property
    def answer_key(self) -> frozenset[str]:
        """The correct options, normalised."""
        return frozenset(_normalised(t) for t, correct in self.options if correct)

    @property
    def correct_count(self) -> int:
        return sum(1 for _, correct in self.options if correct)

    def extreme_is_correct(self, pick) -> bool | None:
        """Whether the one option picked out by length (`max` or `min`) is correct; None when
        two options tie for it."""
        lengths = [len(text) for text, _ in self.options]
        target = pick(lengths)
        if lengths.count(target) > 1:
            return None
        return self.options[lengths.index(target)][1]

    @property
    def chance_correct(self) -> float:
        """How likely an option picked blindly is correct."""
        return self.correct_count / len(self.options)


def catalogue_quality(root: Path) -> tuple[list[Finding], QualityFigures]:
    """Guessability warnings and figures for every knowledge check under `root`."""
    root = Path(root).resolve()
    questions, course_yaml = [], {}
    for folder in sorted(p for p in root.iterdir() if (p / "course.yaml").is_file()):
        course_yaml[folder.name] = (folder / "course.yaml").relative_to(root.parent).as_posix()
        for path in sorted(folder.glob("*.check.yaml")):
            questions += read_check_questions(path, path.relative_to(root.parent).as_posix(),
                                              folder.name)
    return quality_findings(questions, course_yaml)


def read_check_questions(path: Path, shown: str, course: str) -> list[CheckQuestion]:
    """The well-formed questions of a check file (malformed ones are problems elsewhere)."""
    text, _ = read_text(path)
    doc, issues = parse_yaml(text) if text is not None else (None, [])
    if doc is None or issues or not isinstance(doc.data, dict):
        return []
    found = []
    for n, question in enumerate(doc.data.get("questions") or []):
        if not isinstance(question, dict) or not isinstance(question.get("options"), list):
            continue
        options = tuple((o["text"].strip(), o.get("correct") is True)
                        for o in question["options"]
                        if isinstance(o, dict) and is_text(o.get("text")))
        if is_text(question.get("prompt")) and len(options) >= 2:
            found.append(CheckQuestion(course, shown, doc.line("questions", n),
                                       question["prompt"].strip(),
                                       str(question.get("type")), options))
    return found


@dataclass(frozen=True)
class QualityFigures:
    """The catalogue-wide figures `courses check` reports."""

    single: int  #: single-answer questions with one option longest (true/false left out)
    longest_correct: int  #: ... where that option is the correct one
    longest_chance: float  #: how many a blind pick would give
    shortest_correct: int
    shortest_of: int
    true_answers: int
    false_answers: int
    multiple: int
    all_correct: int
    one_wrong: int

    def lines(self) -> list[str]:
        share = self.longest_correct / self.single if self.single else 0.0
        chance = self.longest_chance / self.single if self.single else 0.0
        return [
            f"single-answer: the correct option is the only longest in {self.longest_correct}"
            f" of {self.single} ({share:.0%}; chance {chance:.0%}), the only shortest in"
            f" {self.shortest_correct} of {self.shortest_of}",
            f"true/false: {self.true_answers} true, {self.false_answers} false",
            f"multiple-answer: {self.all_correct} of {self.multiple} with every option correct,"
            f" {self.one_wrong} with exactly one wrong",
        ]


def _upper_tail(chances: list[float], hits: int) -> float:
    """P(at least `hits` successes) for independent trials with these chances."""
    dist = [1.0]
    for p in chances:
        dist = [a * (1 - p) + b * p for a, b in zip([*dist, 0.0], [0.0, *dist], strict=True)]
    return sum(dist[hits:])


def _length_findings(group: list[CheckQuestion], where: tuple[str, int], scope: str
                     ) -> list[Finding]:
    findings = []
    for pick, word in ((max, "longest"), (min, "shortest")):
        judged = [(q, q.extreme_is_correct(pick)) for q in group if not q.is_true_false]
        judged = [(q, hit) for q, hit in judged if hit is not None]
        hits = sum(1 for _, hit in judged if hit)
        chances = [q.chance_correct for q, _ in judged]
        if hits and _upper_tail(chances, hits) < CHANCE_LEVEL:
            findings.append((*where, f"in this {scope} the correct option is the only {word} in"
                                     f" {hits} of {len(judged)} questions (chance would give"
                                     f" about {sum(chances):.0f}): vary option lengths so"
                                     f" length does not give the answer away"))
    return findings


def quality_findings(questions: list[CheckQuestion], course_yaml: dict[str, str]
                     ) -> tuple[list[Finding], QualityFigures]:
    """Warnings about guessable knowledge checks, and the catalogue figures. `course_yaml`
    maps each course folder name to its course.yaml as shown (where course-wide warnings
    point)."""
    findings: list[Finding] = []
    by_file: dict[str, list[CheckQuestion]] = {}
    by_course: dict[str, list[CheckQuestion]] = {}
    for q in questions:
        by_file.setdefault(q.path, []).append(q)
        by_course.setdefault(q.course, []).append(q)
        if q.kind == "multiple" and q.correct_count == len(q.options):
            findings.append((q.path, q.line, "every option is correct: add plausible wrong "
                                             "options"))
    for group in by_file.values():
        findings += _length_findings(group, (group[0].path, group[0].line - 1), "check")
    for course, group in by_course.items():
        where = (course_yaml.get(course, group[0].path), 1)
        findings += _length_findings(group, where, "course")
        findings += _true_false_findings(group, "course")
        multiple = [q for q in group if q.kind == "multiple"]
        one_wrong = [q for q in multiple if q.correct_count == len(q.options) - 1]
        if (len(multiple) >= ONE_WRONG_MIN_QUESTIONS
                and len(one_wrong) > ONE_WRONG_SHARE * len(multiple)):
            findings.append((*where, f"{len(one_wrong)} of {len(multiple)} multiple-answer "
                                     f"questions have exactly one wrong option (first at "
                                     f"{one_wrong[0].path}:{one_wrong[0].line}): vary how "
                                     f"many options are correct"))
    findings += _true_false_findings(questions, "catalogue")
    findings += _repeat_findings(questions)
    return sorted(set(findings)), _figures(questions)


def _true_false_findings(group: list[CheckQuestion], scope: str) -> list[Finding]:
    answers = [(q, q.true_is_correct) for q in group if q.is_true_false]
    values = {bool(answer) for _, answer in answers}
    if len(answers) < 2 or len(values) != 1:
        return []
    first = answers[0][0]
    return [(first.path, first.line, f"all {len(answers)} true/false questions in this "
                                     f"{scope} are {'true' if values.pop() else 'false'}")]


def _first_word(text: str) -> str:
    return next(iter(re.findall(r"[a-z]+", text.lower())), "")


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


#: Short and common words left out when comparing what two prompts ask about.
_PLAIN_WORDS = frozenset((
    "what", "which", "when", "where", "should", "would", "could", "does", "have", "with", "from",
    "that", "this", "they", "their", "there", "these", "those", "about", "into", "most", "best",
    "least"))


def _topic_words(prompt: str) -> frozenset[str]:
    return frozenset(w for w in _normalised(prompt).split()
                     if len(w) > 3 and w not in _PLAIN_WORDS)


def _repeats(a: CheckQuestion, b: CheckQuestion) -> bool:
    """Nearly the same prompt, or the same answer to a prompt about the same things."""
    text_a, text_b = _normalised(a.prompt), _normalised(b.prompt)
    matcher = difflib.SequenceMatcher(None, text_a, text_b, autojunk=False)
    if (matcher.real_quick_ratio() >= REPEAT_SIMILARITY
            and matcher.quick_ratio() >= REPEAT_SIMILARITY
            and matcher.ratio() >= REPEAT_SIMILARITY):
        return True
    words_a, words_b = _topic_words(a.prompt), _topic_words(b.prompt)
    shared = len(words_a & words_b) / (min(len(words_a), len(words_b)) or 1)
    return a.answer_key == b.answer_key and shared >= REPEAT_TOPIC_SHARE


def _repeat_findings(questions: list[CheckQuestion]) -> list[Finding]:
    findings = []
    for n, q in enumerate(questions):
        other = next((o for o in questions[:n] if o.path != q.path and _repeats(o, q)), None)
        if other is not None:  # a repeat within one check is already a problem
            findings.append((q.path, q.line, f"question repeats {other.path}:{other.line}:"
                                             f" ask each question in one place only"))
    return findings


def _figures(questions: list[CheckQuestion]) -> QualityFigures:
    single = [q for q in questions if q.kind == "single" and not q.is_true_false]
    longest = [(q, q.extreme_is_correct(max)) for q in single]
    longest = [(q, hit) for q, hit in longest if hit is not None]
    shortest = [hit for hit in (q.extreme_is_correct(min) for q in single) if hit is not None]
    true_false = [q.true_is_correct for q in questions if q.is_true_false]
    multiple = [q for q in questions if q.kind == "multiple"]
    return QualityFigures(
        single=len(longest), longest_correct=sum(1 for _, hit in longest if hit),
        longest_chance=sum(q.chance_correct for q, _ in longest),
        shortest_correct=sum(shortest), shortest_of=len(shortest),
        true_answers=sum(true_false), false_answers=len(true_false) - sum(true_false),
        multiple=len(multiple),
        all_correct=sum(1 for q in multiple if q.correct_count == len(q.options)),
        one_wrong=sum(1 for q in multiple if q.correct_count == len(q.options) - 1))
