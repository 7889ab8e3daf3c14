"""French by default, English complete; the browser chooses until the person does."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale, gettext

ROOT = Path(__file__).resolve().parents[1]


def test_french_is_the_default(client):
    page = client.get("/sign-in")
    assert '<html lang="fr">' in page.text
    assert "Connexion" in page.text


def test_browser_language_picks_english(client):
    page = client.get("/sign-in", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in page.text
    assert "Sign in" in page.text


def test_unsupported_browser_language_falls_back_to_french(client):
    page = client.get("/sign-in", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="fr">' in page.text


def test_the_person_choice_wins_over_the_browser_and_is_remembered(client):
    response = client.post("/language", data={"language": "en", "next": "/sign-in?next=/x"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in?next=/x"
    page = client.get("/", headers={"Accept-Language": "fr-FR"})
    assert '<html lang="en">' in page.text
    client.post("/language", data={"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "en"}).text


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.post("/language", data={"language": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="fr">' in client.get("/").text


def test_language_cannot_be_switched_by_a_get(client):
    assert client.get("/language?language=en").status_code == 405


def test_every_interface_string_has_a_french_translation(tmp_path):
    """Extract the strings from the code as `make extract-messages` does, and check that the
    French catalogue translates each one, with the same placeholders."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-k",
            "lazy_pgettext:1c,2",
            "-k",
            "trusted_gettext",
            "-k",
            "trusted_ngettext:1,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(f) if m.id
        }
    with (ROOT / "facilitate/translations/fr/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    translated = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    assert sorted(wanted - translated) == []
    # And nothing translated the code no longer asks for: a text the extractor stopped seeing
    # (a call it cannot read) shows in English to French readers after the next extraction.
    assert sorted(translated - wanted) == []
    problems = [(m.id, error) for m in catalogue for error in m.check(catalogue)]
    assert problems == []


def test_translations_read_once_per_request_still_follow_a_change_of_locale(app):
    """The catalogue is kept for the request (see elision._catalogue), with the locale it was
    found for: messages in another language (force_locale) are translated in that one, and
    French elision applies only to French."""
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert gettext("Sign in") == "Se connecter"
        with force_locale("en"):
            assert gettext("Sign in") == "Sign in"
            assert render_template_string("{{ _('Sign in') }}") == "Sign in"
        assert render_template_string("{{ _('Sign in') }}") == "Se connecter"


def test_no_translated_text_hides_inside_an_f_string():
    """Babel's extractor reads no call inside an f-string: a text translated only there drops
    out of the catalogue at the next `make extract-messages`, and French readers get English."""
    import ast  # noqa: PLC0415

    names = {
        "_",
        "gettext",
        "ngettext",
        "pgettext",
        "lazy_gettext",
        "_l",
        "trusted_gettext",
        "trusted_ngettext",
    }
    hidden = []
    for path in sorted((ROOT / "facilitate").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [
                    f"{path.relative_to(ROOT)}:{call.lineno}"
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in names
                ]
    assert hidden == []
