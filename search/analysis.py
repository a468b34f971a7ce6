"""Russian text analysis shared by indexing and querying.

Both sides of the search go through the same functions, so whatever a document says and
however a visitor types it meet in one vocabulary of *terms*:

- text is normalised (Unicode NFKC, stress marks dropped, lower case, «ё» folded into «е»,
  Latin look-alike letters inside a Cyrillic word read as Cyrillic);
- words are split on everything that is not a letter or a digit; a hyphenated word
  («Спас-Деменск») gives its parts, so it is found with or without the hyphen;
- each Cyrillic word is lemmatised with pymorphy3 into *every* dictionary form it may be
  («полка» → полк, полка, полок), so an ambiguous word in a document and in a query still
  meet; surnames come back masculine («Кузнецовой» → кузнецов), place names in the
  nominative («в Козельске» → козельск);
- Russian function words (prepositions, conjunctions, particles) and single letters are
  dropped: they only make posting lists long.

The database never parses a query: it sees only terms made of letters and digits, which is
why quotes, operators, NUL bytes or emoji cannot break a search.
"""

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

#: A visitor's query is cut at this many characters (a long surname list still fits).
MAX_QUERY_LENGTH = 200
#: At most this many words of a query are used.
MAX_QUERY_WORDS = 16
#: Terms longer than this are stored cut (the posting table's column is wider).
MAX_TERM_LENGTH = 60
#: Masculine surnames end so in the nominative («Козодоев», «Тараторкин»).
SURNAME_ENDINGS = ("ов", "ев", "ин", "ын")
#: A lemma is kept when its parses weigh at least this share of the likeliest lemma's.
MIN_LEMMA_SHARE = 0.1
#: Longer "words" are not lemmatised (they are not words; pymorphy3 need not see them).
MAX_WORD_LENGTH = 40

_STOP_WORDS_TEXT = """
    а без бы в во вот да для до же за и из из-за из-под или к ко ли либо на над не ни но
    о об обо около от по под при про с со то у через что чтобы это как так также тоже
    a an and or not the of in on to for with by at from as is are was were be
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Latin letters that look like Cyrillic ones; used only inside a word that mixes scripts
# («Kузнецов» typed with a Latin K), never for a Latin word.
_LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
    }
)
_STRESS_MARKS = dict.fromkeys((0x0300, 0x0301), None)

# A word: letters and digits, possibly joined by hyphens or apostrophes inside it.
WORD_RE = re.compile(r"[^\W_]+(?:[-‐‑‒–'’][^\W_]+)*")
_PART_RE = re.compile(r"[^\W_]+")

_local = threading.local()


def _morph():
    # pymorphy3's analyser is not documented as thread-safe: one per thread (≈50 ms, 15 MB).
    analyzer = getattr(_local, "morph", None)
    if analyzer is None:
        import pymorphy3

        analyzer = _local.morph = pymorphy3.MorphAnalyzer()
    return analyzer


def strip_stress(text):
    """NFKC without stress marks («Ива́нов» → «Иванов»); й and ё keep their marks."""
    text = unicodedata.normalize("NFKC", text or "")
    if "\u0300" in text or "\u0301" in text:
        text = unicodedata.normalize(
            "NFC", unicodedata.normalize("NFD", text).translate(_STRESS_MARKS)
        )
    return text


def normalize(text):
    """Fold text for comparison: NFKC, no stress marks, lower case, ё → е."""
    return strip_stress(text).lower().replace("ё", "е")


def _is_cyrillic(char):
    return "\u0400" <= char <= "\u04ff"


def _fix_lookalikes(word):
    if word.isascii() or not any(_is_cyrillic(char) for char in word):
        return word
    return word.translate(_LOOKALIKES)


@lru_cache(maxsize=200_000)
def word_terms(word):
    """The terms of one normalised word (no hyphens): a tuple, empty for a stop word."""
    if len(word) < 2 or word in STOP_WORDS:
        return ()
    if word.isdigit():
        return (word,)
    word = _fix_lookalikes(word)
    if len(word) > MAX_WORD_LENGTH:
        return (word[:MAX_TERM_LENGTH],)
    if all(_is_cyrillic(char) for char in word):
        # Only all-Cyrillic words go to pymorphy3 (it fails on some unnamed code points).
        parses = _morph().parse(word)
        if any("Surn" in parse.tag for parse in parses):
            # An archive of names: a word that can be a surname is read as one («Кузнецов» is
            # not «кузнец», «Петров» is not «Пётр»); a place of the same name stays.
            parses = [parse for parse in parses if "Surn" in parse.tag or "Geox" in parse.tag]
        scores = Counter()
        for parse in parses:
            scores[parse.normal_form.replace("ё", "е")] += parse.score
        # A reading pymorphy3 itself finds very unlikely («погиб» as a noun, 2 %) only makes
        # posting lists longer; the same rule runs on documents and queries.
        best = max(scores.values())
        forms = {form for form, score in scores.items() if score >= MIN_LEMMA_SHARE * best}
        terms = set()
        for form in forms:
            # pymorphy3 keeps hyphens inside some lemmas; our terms never have them.
            terms.update(part for part in _PART_RE.findall(form) if len(part) > 1)
        if len(word) >= 5 and word.endswith(SURNAME_ENDINGS) and word not in terms:
            # A surname pymorphy3 does not know reads as a plural genitive
            # («Рукавишников» → рукавишник): keep the name itself, which is also the lemma
            # its other forms get («Рукавишниковой» → рукавишников).
            terms.add(word)
        return tuple(sorted(terms)) or (word,)
    if (
        word.isascii()
        and word.isalpha()
        and len(word) > 3
        and word.endswith("s")
        and not word.endswith("ss")
    ):
        # English is the site's second language: a plural finds its singular.
        return (word[:-1], word)
    return (word,)


def iter_words(text):
    """Yield ``(start, end, parts)`` for each word of ``text``; parts are normalised."""
    for match in WORD_RE.finditer(text):
        parts = _PART_RE.findall(normalize(match.group()))
        yield match.start(), match.end(), parts


def terms_of(text):
    """All terms of a text, in order, with repetitions (for term frequencies)."""
    terms = []
    for part in _PART_RE.findall(normalize(text)):
        terms.extend(word_terms(part))
    return terms


def document_terms(title, body):
    """Return ``(title_terms, body_counts, title_length)`` for indexing one document."""
    title_list = terms_of(title)
    return set(title_list), Counter(terms_of(body)), len(title_list)


@dataclass
class ParsedQuery:
    """A visitor's query, analysed.

    ``groups`` holds one frozenset of alternative terms per meaningful word: a document
    matches a group when it has any of its terms. ``words`` are the normalised words the
    groups came from (for the «did you mean» suggestion).
    """

    text: str
    was_cut: bool = False
    groups: list = field(default_factory=list)
    words: list = field(default_factory=list)
    # The same words as typed (case kept), for showing a corrected query.
    raw_words: list = field(default_factory=list)
    # The last word as typed (normalised), for prefix matching in autocomplete.
    last_word: str = ""

    @property
    def terms(self):
        return frozenset().union(*self.groups) if self.groups else frozenset()

    def __bool__(self):
        return bool(self.groups)


def clean_query(raw):
    """Return ``(text, was_cut)``: printable text, single-spaced, at most MAX_QUERY_LENGTH."""
    raw = raw if isinstance(raw, str) else ""
    chars = []
    for char in raw:
        category = unicodedata.category(char)
        chars.append(" " if category[0] in "CZ" else char)
    text = " ".join("".join(chars).split())
    was_cut = len(text) > MAX_QUERY_LENGTH
    if was_cut:
        text = text[:MAX_QUERY_LENGTH]
        # Do not leave half a word at the end.
        if " " in text:
            text = text.rsplit(" ", 1)[0]
    return text, was_cut


def parse_query(raw):
    """Analyse what a visitor typed into groups of terms (see :class:`ParsedQuery`)."""
    text, was_cut = clean_query(raw)
    parsed = ParsedQuery(text=text, was_cut=was_cut)
    seen = set()
    stripped = strip_stress(text)
    for match in _PART_RE.finditer(stripped):
        raw = match.group()
        part = normalize(raw)
        if not part:
            continue
        parsed.last_word = _fix_lookalikes(part)
        terms = frozenset(term[:MAX_TERM_LENGTH] for term in word_terms(part))
        if not terms or terms in seen:
            continue
        if len(parsed.groups) >= MAX_QUERY_WORDS:
            # Too many words: the query shown is the part that was used.
            parsed.was_cut = True
            parsed.text = stripped[: match.start()].rstrip()
            break
        seen.add(terms)
        parsed.groups.append(terms)
        parsed.words.append(_fix_lookalikes(part))
        parsed.raw_words.append(raw)
    return parsed


def prefix_groups(parsed):
    """The query's groups for autocomplete: the last word typed also matches as a prefix
    (even a stop word or a short one: «По» may become «Попов»)."""
    from .matching import Group

    groups = [Group(terms) for terms in parsed.groups]
    if not parsed.last_word:
        return groups
    if parsed.words and parsed.words[-1] == parsed.last_word:
        groups[-1] = Group(groups[-1].terms, prefix=parsed.last_word)
    else:
        groups.append(Group(frozenset(), prefix=parsed.last_word))
    return groups


# --- typo tolerance ------------------------------------------------------------------

_ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюя"


def edits1(word):
    """Every string one edit away from ``word`` (delete, swap, replace, insert)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    letters = (
        _ALPHABET if any(_is_cyrillic(char) for char in word) else "abcdefghijklmnopqrstuvwxyz"
    )
    deletes = [left + right[1:] for left, right in splits if right]
    swaps = [left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1]
    replaces = [left + char + right[1:] for left, right in splits if right for char in letters]
    inserts = [left + char + right for left, right in splits for char in letters]
    return set(deletes + swaps + replaces + inserts) - {word}


def typo_candidates(word):
    """Terms one letter away from a word (4+ letters): ``{term: (priority, display)}``.

    - priority 2: the word itself with one letter changed is a term («Мешовск» → мещовск);
    - priority 1: the word with one letter changed is a dictionary word, its lemmas are the
      terms, and the suggestion keeps the visitor's inflection («Смирнвой» → «Смирновой»);
    - priority 0: a lemma of the word with one letter changed («кузнцову» → кузнецов).
    """
    if len(word) < 4 or len(word) > MAX_WORD_LENGTH or word.isdigit():
        return {}
    own = set(word_terms(word))
    candidates = {}

    def add(term, priority, display):
        if len(term) > 2 and term not in own and candidates.get(term, (-1,))[0] < priority:
            candidates[term] = (priority, display)

    for lemma in own:
        if len(lemma) >= 4 and lemma != word:
            for variant in edits1(lemma):
                add(variant, 0, variant)
    morph = _morph()
    cyrillic = all(_is_cyrillic(char) for char in word)
    for variant in edits1(word):
        if cyrillic and morph.word_is_known(variant):
            for term in word_terms(variant):
                add(term, 1, variant)
        add(variant, 2, variant)
    return candidates


# --- highlighting --------------------------------------------------------------------


def _matches(parts, terms):
    return any(term in terms for part in parts for term in word_terms(part))


def highlight(text, terms, *, length=240):
    """Return ``(html, plain)``: an excerpt of ``text`` around the first matched word.

    Matched words (any of whose terms is in ``terms``) are wrapped in ``<mark>``; the
    excerpt is at most ``length`` characters, cut on word boundaries, with an ellipsis
    where it was cut.
    """
    # Fields and paragraphs are lines: in one line they read better apart.
    lines = (" ".join(line.split()) for line in strip_stress(text).splitlines())
    text = " · ".join(line for line in lines if line)
    if not text:
        return mark_safe(""), ""
    spans = [(start, end) for start, end, parts in iter_words(text) if _matches(parts, terms)]
    begin = 0
    if spans and spans[0][1] > length:
        begin = max(0, spans[0][0] - length // 3)
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < spans[0][0] else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    html, plain, cursor = [], [], begin
    prefix = "… " if begin else ""
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        html.append(escape(text[cursor:start]))
        html.append("<mark>" + escape(text[start:stop]) + "</mark>")
        cursor = stop
    html.append(escape(text[cursor:end]))
    suffix = " …" if end < len(text) else ""
    plain = prefix + text[begin:end] + suffix
    return mark_safe(prefix + "".join(html) + suffix), plain
