"""Who reaches which book, the organisers' form, and people's answer about their names."""

import pytest
from markupsafe import escape

from facilitate.extensions import db
from facilitate.models import BookSettings, User
from facilitate.people.management import remove_attendee
from facilitate.privacy.public_names import PublicNames, describe, public_names
from tests.factories import sign_in


def _challenge_urls(slug, number):
    base = f"/events/{slug}/challenges/{number}/book"
    return [
        ("get", base),
        ("post", f"{base}/build"),
        ("get", f"{base}.pdf"),
        ("get", f"{base}/status"),
    ]


def _event_urls(slug):
    base = f"/events/{slug}/book"
    return [
        ("get", base),
        ("post", f"{base}/build"),
        ("get", f"{base}.pdf"),
        ("get", f"{base}/status"),
        ("post", f"{base}/settings"),
    ]


def _statuses(client, urls):
    return {getattr(client, method)(url).status_code for method, url in urls}


@pytest.mark.parametrize(
    ("who", "own", "other", "whole"),
    [
        ("owner", {200, 303}, {403}, {403}),
        ("organiser", {200, 303}, {200, 303}, {200, 303, 422}),
        ("alice", {403}, {403}, {403}),  # a member of the team
        ("stranger", {403}, {403}, {403}),  # the organiser of another event
    ],
)
def test_who_reaches_which_book(client, world, who, own, other, whole):
    sign_in(client, getattr(world, who))
    slug = world.event.slug
    assert _statuses(client, _challenge_urls(slug, 1)) <= own
    assert _statuses(client, _challenge_urls(slug, 2)) <= other
    assert _statuses(client, _event_urls(slug)) <= whole


def test_anonymous_people_are_sent_to_sign_in(client, world):
    slug = world.event.slug
    for method, url in _challenge_urls(slug, 1) + _event_urls(slug):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 401), url


def test_a_removed_owner_no_longer_reaches_the_book(client, world):
    sign_in(client, world.owner)
    assert client.get(f"/events/{world.event.slug}/challenges/1/book").status_code == 200
    remove_attendee(world.event, world.owner, world.organiser)
    db.session.commit()
    assert _statuses(client, _challenge_urls(world.event.slug, 1)) <= {302, 401, 403}


def test_the_owner_finds_the_book_from_the_challenge_page(client, world):
    sign_in(client, world.owner)
    page = client.get(f"/events/{world.event.slug}/challenges/1").text
    assert f"/events/{world.event.slug}/challenges/1/book" in page
    page = client.get(f"/events/{world.event.slug}/challenges/2").text
    assert f"/events/{world.event.slug}/challenges/2/book" not in page


@pytest.mark.parametrize(
    ("opening", "message"),
    [
        ("x" * 10_001, "10000 caractères au plus"),
        ("Bonjour\x07 à toutes et à tous", "caractères de contrôle invisibles"),
    ],
)
def test_bad_texts_are_refused_and_nothing_saved_is_lost(client, world, opening, message):
    sign_in(client, world.organiser)
    url = f"/events/{world.event.slug}/book/settings"
    saved = {"opening": "Le texte d’avant.", "closing": "Fin.", "order": "stand"}
    assert client.post(url, data=saved).status_code == 303
    response = client.post(url, data={**saved, "opening": opening, "closing": "Nouvelle fin."})
    assert response.status_code == 422
    assert message in response.text
    assert "Nouvelle fin." in response.text  # what was typed is still in the form
    settings = db.session.query(BookSettings).filter_by(event_id=world.event.id).one()
    assert (settings.opening, settings.closing, settings.order.value) == (
        "Le texte d’avant.",
        "Fin.",
        "stand",
    )


def test_an_unknown_order_is_refused(client, world):
    sign_in(client, world.organiser)
    response = client.post(
        f"/events/{world.event.slug}/book/settings",
        data={"opening": "", "closing": "", "order": "random"},
    )
    assert response.status_code == 422


def test_the_organisers_page_runs_a_fixed_number_of_queries(client, world, make, count_queries):
    sign_in(client, world.organiser)
    url = f"/events/{world.event.slug}/book"
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        make.challenge(world.event)
    db.session.commit()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_people_are_asked_once_and_may_change_their_answer(client, world, make):
    person = make.participant(world.event, name="Chloé Nouvelle")
    db.session.commit()
    sign_in(client, person)
    page = client.get(f"/events/{world.event.slug}").text
    assert "/account/names" in page and "Répondre (une seule fois)" in page
    response = client.post(
        "/account/names?next=/events/" + world.event.slug, data={"consent": "yes"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/events/{world.event.slug}")
    assert db.session.get(User, person.id).names_consent is True
    assert "Répondre (une seule fois)" not in client.get(f"/events/{world.event.slug}").text
    client.post("/account/names", data={"consent": "no"})
    assert db.session.get(User, person.id).names_consent is False
    assert client.post("/account/names", data={"consent": "maybe"}).status_code == 422
    assert db.session.get(User, person.id).names_consent is False


@pytest.mark.parametrize("answer", [{}, {"consent": ""}, {"consent": "maybe"}])
def test_no_answer_about_names_says_what_to_do(client, world, make, answer):
    person = make.participant(world.event, name="Chloé Nouvelle")
    db.session.commit()
    sign_in(client, person)
    response = client.post("/account/names", data=answer)
    assert response.status_code == 422
    assert "Dites si votre nom peut apparaître\u00a0: oui ou non." in response.text
    assert "N&#39;est pas un choix valide" not in response.text
    assert db.session.get(User, person.id).names_consent is None


def test_the_names_page_is_for_signed_in_people(client):
    assert client.get("/account/names").status_code in (302, 401)


def test_names_without_consent_are_counted_not_shown(app):
    with app.test_request_context():
        names = public_names(
            [
                ("Zoé Dupont", True),
                ("Bruno Secret", None),
                ("Anne Abel", True),
                ("Paul Non", False),
                (None, True),
            ]
        )
        assert names == PublicNames(["Anne Abel", "Zoé Dupont"], 3)
        assert describe(names) == "Anne Abel, Zoé Dupont et 3 autres personnes"
        assert describe(PublicNames([], 2)) == "2 personnes"
        assert describe(PublicNames(["Anne Abel"], 0)) == "Anne Abel"


def test_two_people_of_the_same_name_are_both_counted(app):
    """Namesakes are two people: a team of three with two Marie Martin is not "Marie Martin et
    1 autre personne"."""
    with app.test_request_context():
        names = public_names([("Marie Martin", True), ("Marie Martin", True), ("Luc Non", False)])
        assert len(names.names) + names.unnamed == 3


def test_the_settings_form_kept_shows_each_save_at_once_escaped(client, world):
    """The form as first shown is rendered once while the settings stay the same
    (rendered_forms.as_shown): each save shows at once, what was typed escaped."""
    sign_in(client, world.organiser)
    url = f"/events/{world.event.slug}/book"
    assert "<title>Erreur" not in client.get(url).text
    for opening in ("Premier <b>texte</b> & co", "Second texte"):
        saved = {"opening": opening, "closing": "Fin.", "order": "stand"}
        assert client.post(f"{url}/settings", data=saved).status_code == 303
        page = client.get(url).text
        assert page.count(str(escape(opening))) == 1 and "<b>texte" not in page
        assert '<option selected value="stand">' in page
    assert "Premier" not in page
