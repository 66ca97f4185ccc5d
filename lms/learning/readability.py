"""Reading age of course text, for courses written for readers who find long words and
sentences hard (pupils, prisoners). A course.yaml with `reading_age: N` asks `courses check`
to warn about any lesson, and any knowledge check, that reads above that age.

The estimate is the Flesch-Kincaid grade level plus five (a US school grade starts at age
five or six), with syllables counted by a rule of thumb. It is a screening test: a score
under the limit does not prove text is easy, but a score over it is worth a second look."""

from __future__ import annotations

import re
from pathlib import Path

from lms.learning.content_markdown import parse_module
from lms.yaml_files import Finding, parse_yaml, read_text

#: Shorter texts give unstable scores; they are not judged.
MIN_WORDS = 40

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LIST_OR_QUOTE = re.compile(r"^\s*(?:[-*+>]|\d+[.)])\s*", re.MULTILINE)


def syllables(word: str) -> int:
    """Syllables in an English word, by vowel groups (a silent final e is not counted)."""
    word = word.lower().removesuffix("'s")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def plain_text(markdown: str) -> str:
    """Markdown as sentences: links as their text, list items and headings as sentences."""
    text = _LINK.sub(r"\1", markdown)
    text = _LIST_OR_QUOTE.sub("", text)
    text = re.sub(r"[#*_`|]", " ", text)
    # A line that does not end a sentence but is followed by a blank line or a list item
    # (a heading, a list item) is a sentence of its own.
    return "\n".join(line if re.search(r"[.!?:;]\s*$", line) or not line.strip()
                     else line + "." for line in text.split("\n"))


def reading_age(text: str) -> float | None:
    """Estimated reading age in years, or None for text too short to judge."""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return None
    sentences = max(len(re.findall(r"[.!?]+(?=\s|$)", text)), 1)
    grade = (0.39 * len(words) / sentences
             + 11.8 * sum(syllables(w) for w in words) / len(words) - 15.59)
    return round(grade + 5, 1)


def readability_findings(root: Path) -> tuple[list[Finding], list[str]]:
    """Warnings for lessons and checks above their course's `reading_age`, and a line per
    such course with its highest score."""
    root = Path(root).resolve()
    findings, summary = [], []
    for folder in sorted(p for p in root.iterdir() if (p / "course.yaml").is_file()):
        limit = _limit(folder / "course.yaml")
        if limit is None:
            continue
        highest = 0.0
        for path in sorted(p for p in folder.glob("[0-9][0-9]-*.md")
                           if not p.name.endswith(".cy.md")):  # English reading ages
            shown = path.relative_to(root.parent).as_posix()
            text, _ = read_text(path)
            for lesson in parse_module(text or "").lessons:
                age = reading_age(plain_text(lesson.body))
                highest = max(highest, age or 0)
                if age is not None and age > limit:
                    findings.append((shown, lesson.line, f"lesson '{lesson.title}' reads at "
                                                         f"age {age:g}, above this course's "
                                                         f"reading age of {limit}"))
        for path in sorted(folder.glob("*.check.yaml")):
            age = reading_age(_check_text(path))
            highest = max(highest, age or 0)
            if age is not None and age > limit:
                findings.append((path.relative_to(root.parent).as_posix(), 1,
                                 f"knowledge check reads at age {age:g}, above this course's "
                                 f"reading age of {limit}"))
        summary.append(f"{folder.name}: reading age at most {highest:g} (limit {limit})")
    return findings, summary


def _limit(course_yaml: Path) -> int | None:
    text, _ = read_text(course_yaml)
    doc, issues = parse_yaml(text) if text is not None else (None, [])
    if doc is None or issues or not isinstance(doc.data, dict):
        return None
    value = doc.data.get("reading_age")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_text(path: Path) -> str:
    """A knowledge check's prompts, options and explanations, one sentence each at least."""
    text, _ = read_text(path)
    doc, issues = parse_yaml(text) if text is not None else (None, [])
    data = doc.data if doc is not None and not issues and isinstance(doc.data, dict) else {}
    parts = []
    for question in data.get("questions") or []:
        if not isinstance(question, dict):
            continue
        parts.append(str(question.get("prompt", "")))
        parts += [str(o.get("text", "")) for o in question.get("options") or []
                  if isinstance(o, dict)]
        parts.append(str(question.get("explanation", "")))
    return plain_text("\n".join(p.strip() for p in parts if p.strip()))
