"""French that reads naturally: elision before names ("d’Hélène"), the catalogue's typography
(non-breaking spaces, « », 3e, cœur), no lower-case word capitalised after a colon."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import gettext, ngettext
from markupsafe import Markup

from facilitate.elision import starts_with_vowel_sound
from facilitate.extensions import db
from facilitate.teams.rows import unplaced_items
from tests.factories import sign_in

CATALOGUE = (
    Path(__file__).resolve().parents[1] / "facilitate/translations/fr/LC_MESSAGES/messages.po"
)
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


@pytest.mark.parametrize(
    ("word", "elides"),
    [
        ("Hélène", True),
        ("Ève", True),
        ("Yves", True),
        ("animatrice", True),
        ("Idéation", True),
        ("Hugo", True),
        ("Yann", False),
        ("Zoë", False),
        ("Hollande", False),
        ("Haute-Savoie", False),
        ("8 juillet", False),
        ("", False),
    ],
)
def test_vowel_sounds(word, elides):
    assert starts_with_vowel_sound(word) is elides


def test_french_elides_before_a_name_in_python_and_in_templates(app):
    with app.test_request_context(headers=FRENCH):
        said = gettext("The access code of %(name)s no longer works.", name="Hélène")
        assert said == "Le code d’accès d’Hélène ne fonctionne plus."
        assert "de Bruno" in gettext("The access code of %(name)s no longer works.", name="Bruno")
        page = render_template_string(
            '{{ _("Team for %(name)s", name=first) }} | {{ _("Team for %(name)s", name=second) }}',
            first="Ève",
            second="<b>Zoë</b>",
        )
        # The name is escaped as ever; only the article changes.
        assert page == "Équipe d’Ève | Équipe de &lt;b&gt;Zoë&lt;/b&gt;"
        assert ngettext("%(num)d dot", "%(num)d dots", 1) == "1 gommette"


def test_english_is_left_as_it_is(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert gettext("Team for %(name)s", name="Ève") == "Team for Ève"


def test_the_page_to_revoke_hélènes_code_reads_dhélène(client, make):
    event = make.event()
    organiser = make.organiser(event)
    helene = make.participant(event, name="Hélène Martin")
    db.session.commit()
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/people/{helene.id}/revoke", headers=FRENCH)
    assert page.status_code == 200
    assert "code d’accès d’Hélène Martin" in page.text
    assert "de Hélène" not in page.text


def _french_strings():
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            yield message.id, text


# Text that is not French prose: CSV headers and an HTTP header written as it must be typed.
_VERBATIM = re.compile(r"^[\w ]+(;[\w ’]+)+$|Authorization: Bearer")
_CAPITALISED_AFTER_COLON = re.compile(
    r":\s(?:Le|La|Les|Un|Une|Des|Du|Il|Elle|Ils|Elles|Vous|Nous|Ce|Cette|Ces|Pas|Aucun|Aucune"
    r"|Rien|Tout|Tous|Toutes|Merci|Son|Sa|Ses|Leur|Leurs|Seul|Seule|Seuls|Ni|Non|Oui)\b"
)


def test_the_french_catalogue_follows_french_typography():
    problems = []
    for msgid, text in _french_strings():
        prose = _VERBATIM.sub("", text)
        checks = {
            "plain space before ; : ! ? »": re.search(r" [;:!?»]", prose),
            "no space before ; ! ? »": re.search(r"[^\s\u00a0\u202f(]([;!?»])", prose),
            "no space before :": re.search(r"[^\s\u00a0\u202f/\d:(%]:(?=\s|$)", prose),
            "no non-breaking space after «": re.search(r"«(?!\u00a0)", prose),
            "3ème or coeur": re.search(r"\d+(?:ème|eme)\b|\bcoeur|\boeuvre", prose),
            "typewriter apostrophe": re.search(r"\w'\w", prose),
            "capital after a colon": _CAPITALISED_AFTER_COLON.search(prose),
        }
        problems += [(name, msgid) for name, found in checks.items() if found]
    assert problems == []


def test_no_capital_after_a_colon_for_the_vote_status(client, make):
    event = make.event()
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/organise", headers=FRENCH).text
    assert "Vote\u00a0: pas encore ouvert" in page


def test_the_teams_page_labels_each_place_select_with_the_elision(app):
    people = [
        SimpleNamespace(id=1, name="Alice Martin", organisation=None),
        SimpleNamespace(id=2, name="<b>Bruno</b>", organisation=None),
    ]
    with app.test_request_context(headers=FRENCH):
        html = unplaced_items(people, lambda i: f"/place/{i}", "token", Markup(""))
    assert "Équipe d’Alice Martin</label>" in html
    assert "Équipe de &lt;b&gt;Bruno&lt;/b&gt;</label>" in html
