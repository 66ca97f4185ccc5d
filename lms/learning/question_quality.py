"""Knowledge-check quality: patterns a test-wise learner could use to pass without
understanding. These are warnings, not problems: the course still loads, but the shipped
catalogue must have none (tests/learning/test_content_quality.py)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from lms.yaml_files import Finding, is_text, parse_yaml, read_text

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
