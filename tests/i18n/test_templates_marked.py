"""Every template's interface text is marked for translation.

For each template: Jinja comments, `{% trans %}...{% endtrans %}` blocks, expressions and
statements, HTML comments, scripts, styles and <code> (column names, commands: the same in every
language) are taken out, then the tags; any text left
that holds a letter is English nobody can translate, and fails with its file:line. The
literal text of aria-label, title, placeholder and alt attributes (and of a submit input's
value) is checked the same way. Data reaches templates through expressions, so it is never
flagged; text passed to a macro as a literal (`forms.submit('Save')`) is left to the Welsh
crawl (test_welsh_crawl.py) to catch.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

#: Text holding letters that is nevertheless no language (keep this short). Marks such as
#: "·", "→" and "&nbsp;" hold no letter, so they are never flagged and need no entry here.
ALLOWED: set[str] = set()

_JINJA = [
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%-?\s*trans\b.*?%\}.*?\{%-?\s*endtrans\s*-?%\}", re.S),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
]
_HTML = [
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"<script\b.*?</script>", re.S | re.I),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
    # Code (column names, commands, file names) is the same in every language.
    re.compile(r"<code\b.*?</code>", re.S | re.I),
]
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(r"""\b(aria-label|title|placeholder|alt)\s*=\s*("[^"]*"|'[^']*')""", re.I)
_SUBMIT_VALUE = re.compile(
    r"""<input\b[^>]*\btype=["'](?:submit|button|reset)["'][^>]*\bvalue=("[^"]*"|'[^']*')""",
    re.I | re.S)
_ENTITY = re.compile(r"&#?\w+;")
_LETTER = re.compile(r"[^\W\d_]")


def _blank(pattern: re.Pattern, text: str) -> str:
    """Remove what `pattern` matches, keeping its line breaks so that line numbers hold."""
    return pattern.sub(lambda m: "\n" * m.group(0).count("\n") + " ", text)


def _words(text: str) -> str | None:
    """The text if it holds a word (a letter outside entities and allowed marks)."""
    text = " ".join(text.split())
    if not text or text in ALLOWED:
        return None
    return text if _LETTER.search(_ENTITY.sub(" ", text)) else None


def unmarked_text(source: str) -> list[tuple[int, str]]:
    """(line, text) for every piece of interface text in `source` not marked."""
    for pattern in _JINJA:
        source = _blank(pattern, source)
    for pattern in _HTML:
        source = _blank(pattern, source)
    found = []
    for regex in (_ATTRIBUTE, _SUBMIT_VALUE):
        for match in regex.finditer(source):
            words = _words(match.group(match.lastindex)[1:-1])
            if words:
                found.append((source.count("\n", 0, match.start()) + 1, words))
    text = _blank(_TAG, source)
    for number, line in enumerate(text.split("\n"), start=1):
        words = _words(line)
        if words:
            found.append((number, words))
    return sorted(found)


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_the_check_finds_unmarked_text_and_passes_marked_text():
    source = """{% extends "base.html" %}{# a comment #}
<h1>{{ _('Marked') }}</h1>
<p>Plain English</p>
<p>{% trans trimmed %}A long
  passage{% endtrans %} &nbsp; · {{ data }}</p>
<a href="#" aria-label="Unmarked label" title="{{ _('Marked') }}">→</a>
<input type="submit" value="Send">"""
    assert unmarked_text(source) == [(3, "Plain English"), (6, "Unmarked label"), (7, "Send")]


@pytest.mark.parametrize("template", _templates(),
                         ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_template_text_is_marked_for_translation(template):
    found = unmarked_text(template.read_text(encoding="utf-8"))
    where = template.relative_to(ROOT)
    assert found == [], "text not marked for translation:\n" + "\n".join(
        f"{where}:{line}: {text}" for line, text in found)
