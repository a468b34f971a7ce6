"""Russian analysis shared by indexing and querying (search/analysis.py).

Each case says which property of Russian (or of typing) it proves: a query word and a
document word meet when they share a term.
"""

import pytest

from search.analysis import (
    MAX_QUERY_LENGTH,
    clean_query,
    edits1,
    highlight,
    normalize,
    parse_query,
    terms_of,
    typo_candidates,
    word_terms,
)


def meet(query, document):
    """True when every meaningful word of ``query`` has a term in ``document``."""
    document_terms = set(terms_of(document))
    parsed = parse_query(query)
    return bool(parsed.groups) and all(group & document_terms for group in parsed.groups)


FINDS = [
    # (case, query, document text)
    ("noun: plural finds singular", "памятники", "Памятник воинам-освободителям"),
    ("noun: dative plural finds nominative", "героям", "Бюст Героя Советского Союза"),
    ("noun: prepositional", "о могиле", "Братская могила партизан"),
    ("adjective: feminine genitive", "братской", "Братская могила"),
    ("adjective: masculine prepositional", "Козельском районе", "Козельский район"),
    ("surname: masculine dative", "Кузнецову", "Кузнецов Борис Семёнович"),
    ("surname: feminine genitive finds the feminine name", "Кузнецовой", "Кузнецова Анна Ивановна"),
    ("surname: feminine dative", "Смирновой", "Смирнова Мария"),
    ("surname: masculine instrumental", "Ивановым", "Иванов Пётр"),
    (
        "surname unknown to the dictionary: feminine finds masculine",
        "Рукавишниковой",
        "Рукавишников Иван",
    ),
    ("surname unknown to the dictionary: masculine finds feminine", "Козодоев", "Козодоева Анна"),
    ("first name: dative", "Ивану", "Кузнецов Иван Петрович"),
    ("patronymic: genitive", "Семёновича", "Кузнецов Борис Семёнович"),
    ("place: prepositional «в Козельске»", "в Козельске", "г. Козельск"),
    ("place: plural-only name «в Сухиничах»", "в Сухиничах", "г. Сухиничи"),
    ("place: with ё in the document", "Березовка", "д. Берёзовка"),
    ("place: with ё in the query", "Берёзовке", "д. Березовка"),
    ("ё and е: patronymic", "Семенович", "Кузнецов Борис Семёнович"),
    ("letter case: all capitals", "КОЗЕЛЬСК", "г. Козельск"),
    ("letter case: all lower", "спас-деменск", "г. Спас-Деменск"),
    ("hyphen: with hyphen", "Спас-Деменск", "г. Спас-Деменск"),
    ("hyphen: without hyphen", "Спас Деменск", "г. Спас-Деменск"),
    ("hyphen: inflected", "в Спас-Деменске", "Спас-Деменский район, г. Спас-Деменск"),
    ("quotes and guillemets ignored", "«Вечный огонь»", "Мемориальный комплекс «Вечный огонь»"),
    ("straight quotes ignored", '"Вечный огонь"', "Мемориальный комплекс «Вечный огонь»"),
    ("stress mark in the query", "Ива́нов", "Иванов Пётр"),
    ("Latin look-alike letters inside a Cyrillic word", "Kузнецов", "Кузнецов Борис"),
    ("word order does not matter", "Иван Кузнецов", "Кузнецов Иван Петрович"),
    ("verb forms: «погибла» finds «погиб»", "погибла", "погиб в бою"),
    ("English: plural finds singular", "memorials", "The memorial"),
    ("numbers", "1943", "в 1943 году"),
]


@pytest.mark.parametrize(("case", "query", "document"), FINDS, ids=[case for case, *_ in FINDS])
def test_query_finds_document(case, query, document):
    assert meet(query, document), case


DOES_NOT_FIND = [
    ("a different surname", "Кузнецов", "Смирнов Иван"),
    ("a different village", "Каменка", "д. Берёзовка"),
    ("a hyphen part alone does not make the other part", "Деменск Боровск", "г. Спас-Деменск"),
]


@pytest.mark.parametrize(
    ("case", "query", "document"), DOES_NOT_FIND, ids=[case for case, *_ in DOES_NOT_FIND]
)
def test_query_does_not_find(case, query, document):
    assert not meet(query, document), case


def test_surnames_meet_in_one_lemma_whatever_the_gender():
    assert set(word_terms("кузнецову")) & set(word_terms("кузнецовой")) == {"кузнецов"}


def test_function_words_and_single_letters_are_not_terms():
    assert terms_of("в и на по из-за о") == []
    assert terms_of("А. М. Кузнецова") == ["кузнецов"]


def test_normalize_folds_case_yo_and_stress():
    assert normalize("ЁЛКА Ива́нов") == "елка иванов"


def test_clean_query_drops_control_characters_and_cuts_long_queries():
    assert clean_query("Кузнецов\x00\x1f\u202eИван") == ("Кузнецов Иван", False)
    text, was_cut = clean_query("слово " * 100)
    assert was_cut and len(text) <= MAX_QUERY_LENGTH and not text.endswith(" ")
    assert clean_query(None) == ("", False)


def test_parse_query_ignores_operators_and_keeps_words():
    parsed = parse_query('"Кузнецов" AND (Иван* -Пётр) OR : \\ NEAR')
    assert "кузнецов" in parsed.groups[0]
    # AND, OR, NEAR are words, not operators; English function words are not terms.
    assert [sorted(group) for group in parsed.groups][1:] == [["иван"], ["петр"], ["near"]]
    assert parsed.raw_words[0] == "Кузнецов"


def test_parse_query_of_only_punctuation_is_empty():
    assert not parse_query("\"'«»()[]{}*:-\\\x00 😀")


def test_a_word_ten_thousand_letters_long_is_one_cut_term():
    parsed = parse_query("я" * 10_000)
    assert parsed.was_cut
    assert all(len(term) <= 60 for group in parsed.groups for term in group)


def test_typo_candidates_include_the_right_lemma():
    # A missing letter in an inflected form: the suggestion keeps the inflection.
    assert typo_candidates("кузнцову")["кузнецов"] == (1, "кузнецову")
    assert typo_candidates("смирнвой")["смирнов"] == (1, "смирновой")
    assert typo_candidates("козильск")["козельск"][0] >= 1  # a wrong letter in a place name
    assert typo_candidates("мешовск")["мещовск"] == (2, "мещовск")
    assert typo_candidates("дом") == {}  # too short to guess
    assert "ab" in edits1("abc") and "acb" in edits1("abc")


def test_highlight_marks_every_form_and_escapes_html():
    html, plain = highlight(
        "<b>Рядовой</b> Кузнецов погиб под Козельском; Кузнецова — его сестра.",
        frozenset({"кузнецов", "козельск"}),
    )
    assert html.count("<mark>") == 3
    assert "&lt;b&gt;" in html
    assert "<mark>Козельском</mark>" in html
    assert "<mark>" not in plain


def test_highlight_centres_a_late_match_with_ellipses():
    text = "начало " * 80 + "Козельск " + "конец " * 80
    html, plain = highlight(text, frozenset({"козельск"}), length=120)
    assert plain.startswith("… ") and plain.endswith(" …")
    assert "<mark>Козельск</mark>" in html
    assert len(plain) <= 124


def test_too_many_words_are_cut_and_the_query_shows_what_was_used():
    surnames = " ".join(f"Фамилия{number}" for number in range(20))
    parsed = parse_query(surnames)
    assert parsed.was_cut and len(parsed.groups) == 16
    assert parsed.text.split() == surnames.split()[:16]
