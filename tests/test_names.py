"""People in the order people expect: by surname, then first name, accents and case as the
reader's language collates them (facilitate.names)."""

import pytest

from facilitate.names import sort_people, split_name, surname_sort_key

LOCALES = ["fr", "en"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "names",
    [
        ["Ève", "Zoë"],  # É files with E, not after Z
        ["Céline", "Chloé"],  # the accent breaks no tie the letters decide
        ["Émile", "Eric"],
        ["Ève Martin", "Zoë Martin"],  # one surname: first names decide
        ["Zoë Bernard", "Ève Martin"],  # the surname first
        ["Chloé Bernard", "Céline Martin"],
    ],
)
def test_names_sort_by_surname_then_first_name_accents_and_case_aside(names, locale):
    assert sort_people(reversed(names), locale=locale) == names
    assert [surname_sort_key(n, locale) for n in names] == sorted(
        surname_sort_key(n, locale) for n in names
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_case_is_ignored_and_accents_only_break_ties(locale):
    same = [(1, "eve Martin"), (2, "Eve MARTIN"), (3, "EVE MARTIN")]
    assert sort_people(same, key=lambda p: p[1], locale=locale) == same  # in the order given
    assert sort_people(["Ève Martin", "Eve Martin", "Eva Martin"], locale=locale) == [
        "Eva Martin",
        "Eve Martin",
        "Ève Martin",
    ]


@pytest.mark.parametrize(
    ("name", "given", "surname"),
    [
        ("Jean DUPONT", "Jean", "DUPONT"),
        ("DUPONT Jean", "Jean", "DUPONT"),  # capitals mark the surname wherever it stands
        ("Marie LE GOFF", "Marie", "LE GOFF"),
        ("Anne de LA TOUR", "Anne", "de LA TOUR"),
        ("Marie MARTIN DUPONT", "Marie", "MARTIN DUPONT"),
        ("JEAN DUPONT", "JEAN", "DUPONT"),  # all in capitals: the last word
        ("Anne-Marie de La Tour", "Anne-Marie", "de La Tour"),
        ("Yann Le Goff", "Yann", "Le Goff"),
        ("Lucas da Silva", "Lucas", "da Silva"),
        ("Joachim du Bellay", "Joachim", "du Bellay"),
        ("Vincent van Gogh", "Vincent", "van Gogh"),
        ("Jean d'Ormesson", "Jean", "d'Ormesson"),
        ("Jean Pierre Martin", "Jean Pierre", "Martin"),
        ("La Tour", "La", "Tour"),  # a particle is never the whole first name
        ("  Zoë   Martin ", "Zoë", "Martin"),
        ("Zoë", "", "Zoë"),  # one word: the surname
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_the_surname_is_read_from_the_full_name(name, given, surname):
    assert split_name(name) == (given, surname)


@pytest.mark.parametrize("locale", LOCALES)
def test_particles_file_as_a_french_reader_expects(locale):
    """A lower-case "de" or "d'" is set aside; articles and foreign particles stay."""
    expected = [
        "Joachim du Bellay",  # D
        "Anne-Marie de La Tour",  # L: "La Tour"
        "Paul Lambert",
        "Yann Le Goff",  # L: "Le Goff"
        "Ana Legrand",
        "Jean d'Ormesson",  # O
        "Lucas Petit",
        "Vincent van Gogh",  # V
    ]
    assert sort_people(sorted(expected), locale=locale) == expected


@pytest.mark.parametrize("locale", LOCALES)
def test_capitals_name_the_surname(locale):
    assert sort_people(["Albert ZOLA", "DURAND Zoé", "Marie MARTIN DUPONT"], locale=locale) == [
        "DURAND Zoé",
        "Marie MARTIN DUPONT",
        "Albert ZOLA",
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_single_words_empty_names_and_erased_people(locale):
    """An erased (anonymised) person has no name: they come last, as do empty names."""
    people = [None, "Zoë", "", "Ève Martin", "  ", "Bernard"]
    assert sort_people(people, locale=locale) == ["Bernard", "Ève Martin", "Zoë", None, "", "  "]


def test_without_a_request_the_platform_s_language_collates(app):
    with app.app_context():
        assert sort_people(["Zoë", "Ève"]) == ["Ève", "Zoë"]
    assert sort_people(["Zoë", "Ève"]) == ["Ève", "Zoë"]  # no application at all


@pytest.mark.parametrize("locale", LOCALES)
def test_only_a_separate_de_is_set_aside(locale):
    """ "des" is an article that stays, and a surname that begins with "de" keeps it."""
    expected = ["Eugène delacroix", "Marc des Forges", "Anne Durand", "Paul Lambert"]
    assert sort_people(reversed(expected), locale=locale) == expected


@pytest.mark.parametrize(
    ("name", "family_name", "given", "surname"),
    [
        ("Marie Martin Dupont", "Martin Dupont", "Marie", "Martin Dupont"),  # known: it wins
        ("García López Ana", "García López", "Ana", "García López"),
        ("Marie Martin Dupont", "Durand", "Marie Martin", "Dupont"),  # not in the name: the rules
        ("Yann Legoff", "Goff", "Yann", "Legoff"),  # whole words only
        ("Marie Martin Dupont", None, "Marie Martin", "Dupont"),
    ],
)
def test_a_known_family_name_wins_while_the_name_holds_it(name, family_name, given, surname):
    assert split_name(name, family_name) == (given, surname)


def test_people_sort_by_their_known_family_name():
    people = [("Marie Martin Dupont", "Martin Dupont"), ("Paul Leroy", None), ("Ève Martin", None)]
    assert sort_people(people, key=lambda p: p[0], family=lambda p: p[1], locale="fr") == [
        ("Paul Leroy", None),
        ("Ève Martin", None),
        ("Marie Martin Dupont", "Martin Dupont"),
    ]
