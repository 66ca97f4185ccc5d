"""SVG elements written as markup: text and attribute values escaped, numbers as short
coordinates, and labels too long for their room cut short with the full text in a
<title>. Built with plain string joins and markupsafe's C escape: a dashboard draws
thousands of attributes, and Markup.format costs about ten times as much per value."""

from functools import cache

from markupsafe import Markup, escape

ELLIPSIS = "\u2026"


class Drawing:
    """SVG elements in drawing order; text and attribute values are escaped here."""

    def __init__(self):
        self.parts: list[str] = []

    def add(self, tag: str, text: str = "", *, title: str | None = None, **attributes):
        inner = str(escape(text))
        if title:
            inner += f"<title>{escape(title)}</title>"
        attrs = attribute_markup(**attributes)
        self.parts.append(f"<{tag}{attrs}>{inner}</{tag}>" if inner else f"<{tag}{attrs}/>")

    def add_label(self, text: str, max_chars: int, **attributes):
        """Text cut to `max_chars` with an ellipsis; the full text then goes in a <title>."""
        if len(text) <= max_chars:
            self.add("text", text, **attributes)
        else:
            self.add("text", text[:max_chars - 1].rstrip() + ELLIPSIS, title=text, **attributes)

    def markup(self) -> Markup:
        return Markup("".join(self.parts))  # noqa: S704 - each part escaped as it was added


@cache
def _attribute_name(keyword: str) -> str:
    return keyword.rstrip("_").replace("_", "-")


def attribute_markup(**attributes) -> Markup:
    """Keyword names to SVG attribute names (class_ -> class, text_anchor -> text-anchor),
    numbers to short coordinates; values are escaped."""
    return Markup("".join(  # noqa: S704 - names are ours; values escaped here
        f' {_attribute_name(name)}="'
        f'{coordinate(value) if isinstance(value, int | float) else escape(value)}"'
        for name, value in attributes.items()))


def coordinate(number: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
