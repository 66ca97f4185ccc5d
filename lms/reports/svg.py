"""SVG elements written as markup: text and attribute values escaped, numbers as short
coordinates, and labels too long for their room cut short with the full text in a
<title>."""

from markupsafe import Markup, escape

ELLIPSIS = "\u2026"


class Drawing:
    """SVG elements in drawing order; text and attribute values are escaped here."""

    def __init__(self):
        self.parts: list[Markup] = []

    def add(self, tag: str, text: str = "", *, title: str | None = None, **attributes):
        inner = escape(text)
        if title:
            inner += Markup("<title>{}</title>").format(title)
        attrs = attribute_markup(**attributes)
        self.parts.append(Markup("<{0}{1}>{2}</{0}>").format(tag, attrs, inner) if inner
                          else Markup("<{}{}/>").format(tag, attrs))

    def add_label(self, text: str, max_chars: int, **attributes):
        """Text cut to `max_chars` with an ellipsis; the full text then goes in a <title>."""
        if len(text) <= max_chars:
            self.add("text", text, **attributes)
        else:
            self.add("text", text[:max_chars - 1].rstrip() + ELLIPSIS, title=text, **attributes)


def attribute_markup(**attributes) -> Markup:
    """Keyword names to SVG attribute names (class_ -> class, text_anchor -> text-anchor),
    numbers to short coordinates; values are escaped."""
    return Markup("").join(
        Markup(' {}="{}"').format(name.rstrip("_").replace("_", "-"),
                                  coordinate(value) if isinstance(value, int | float) else value)
        for name, value in attributes.items())


def coordinate(number: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
