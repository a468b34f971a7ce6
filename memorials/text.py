"""Text helpers of memorials and heroes: name keys, plain text ↔ rich text.

CSV files carry plain text; pages keep descriptions and biographies as rich text. The two
conversions below are each other's inverse for what the importer writes (paragraphs and
line breaks), so an import → export → import round trip changes nothing.
"""

import html
import re
from html.parser import HTMLParser

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n")

#: The letters of the Book of Memory's index, in order (Ё is filed under Е, as in print).
RUSSIAN_ALPHABET = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"


def fold(text):
    """Lower case with ё → е and single spaces: how names are compared and filtered.

    SQLite compares Cyrillic case-sensitively (its LIKE folds ASCII only), so filters
    match a stored folded key instead of relying on the database's case rules.
    """
    text = (text or "").replace("\x00", "").lower().replace("ё", "е")
    return " ".join(text.split())


def full_name(last_name, first_name="", patronymic=""):
    return " ".join(
        part.strip() for part in (last_name, first_name, patronymic) if part and part.strip()
    )


def initial_of(last_name):
    """The index letter of a surname: its first letter, upper case, Ё as Е."""
    key = fold(last_name)
    return key[:1].upper() if key else ""


def text_to_richtext(text):
    """Plain text (paragraphs separated by blank lines) as rich text HTML."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = []
    for block in _BLANK_LINES.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [html.escape(line, quote=False) for line in lines if line]
        if lines:
            paragraphs.append("<p>" + "<br/>".join(lines) + "</p>")
    return "".join(paragraphs)


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "div", "ol", "ul"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def richtext_to_text(value):
    """Rich text HTML as plain text: paragraphs separated by a blank line."""
    parser = _TextExtractor()
    parser.feed(str(value or ""))
    parser.close()
    text = "".join(parser.parts)
    paragraphs = []
    for block in _BLANK_LINES.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)
