"""Flashed messages are translated: flash() is never given English text directly.

An AST walk over lms/: the first argument of every flash() call must be a translation
call (_, gettext, ngettext and their lazy forms), or a value built elsewhere (a variable,
an attribute, another call) — and a variable assigned in the same function must not be
a bare string or f-string either. Reports file:line.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lms"
TRANSLATING = {"_", "gettext", "ngettext", "_l", "lazy_gettext", "lazy_ngettext", "pgettext",
               "npgettext"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _bare_english(node: ast.expr) -> bool:
    """Whether `node` puts untranslated literal text in the message."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_bare_english(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _bare_english(node.left) or _bare_english(node.right)
    if isinstance(node, ast.IfExp):
        return _bare_english(node.body) or _bare_english(node.orelse)
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name in TRANSLATING:
            return False
        if name == "str" and node.args:
            return _bare_english(node.args[0])
        # "...".format(...) / "...".join(...): the literal is the message
        if isinstance(node.func, ast.Attribute):
            return _bare_english(node.func.value)
    return False


def _assignments(function: ast.AST) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def _messages(call: ast.Call) -> list[ast.expr]:
    """What a call flashes: flash()'s first argument, and commit_or_flash()'s success and
    conflict messages (lms.views_helpers)."""
    name = _name(call.func)
    if name == "flash":
        return call.args[:1]
    if name == "commit_or_flash":
        return [k.value for k in call.keywords if k.arg in ("success", "conflict")
                and not isinstance(k.value, ast.Lambda)] + [
            k.value.body for k in call.keywords if k.arg == "success"
            and isinstance(k.value, ast.Lambda)]
    return []


def untranslated_flashes(source: str, filename: str) -> list[str]:
    tree = ast.parse(source, filename)
    problems = []
    scopes = [n for n in ast.walk(tree)
              if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)] + [tree]
    seen: set[int] = set()
    for scope in scopes:
        assigned = _assignments(scope)
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call) or id(node) in seen:
                continue
            seen.add(id(node))
            for message in _messages(node):
                bad = _bare_english(message) or (
                    isinstance(message, ast.Name)
                    and any(_bare_english(v) for v in assigned.get(message.id, [])))
                if bad:
                    problems.append(f"{filename}:{node.lineno}: {ast.unparse(message)[:80]}")
    return problems


def test_the_walk_tells_marked_from_unmarked_messages():
    source = '''
def view(person):
    flash(_("Saved."), "success")
    flash(ngettext("%(num)d row", "%(num)d rows", 2))
    flash(str(refusal), "error")
    flash(f"{person} was saved.")
    flash("Saved.")
    message = "Done " + person
    flash(message)
    other = _("Done")
    flash(other)
    commit_or_flash(lambda: 1, success=lambda: f"{person} saved.")
    commit_or_flash(lambda: 1, success=_("Saved."))
'''
    assert untranslated_flashes(source, "x.py") == [
        "x.py:6: f'{person} was saved.'", "x.py:7: 'Saved.'", "x.py:9: message",
        "x.py:12: f'{person} saved.'"]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_flash_messages_are_marked_for_translation(path):
    problems = untranslated_flashes(path.read_text(encoding="utf-8"),
                                    str(path.relative_to(ROOT)))
    assert problems == [], "flash() given text not marked for translation:\n" + "\n".join(
        problems)
