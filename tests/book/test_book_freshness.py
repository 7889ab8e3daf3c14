"""What the pages say of each built book, from fingerprints kept between requests
(builds.fingerprints): any change to what a book shows makes its PDF stale, as gathering the
book afresh says, and a stale PDF is never called up to date nor downloaded."""

from datetime import datetime

import pytest
from sqlalchemy import delete, select

from facilitate.book import builds
from facilitate.book.services import save_settings
from facilitate.extensions import db
from facilitate.models import (
    BookBuild,
    BookStatus,
    Dot,
    FeedbackEntry,
    Idea,
    Membership,
    Persona,
    PrototypeFile,
    Role,
    VoteStatus,
)
from tests.factories import sign_in


def _built(world) -> None:
    """A finished build of the whole book and of each challenge's, up to date (as a build
    leaves them, without laying out the PDFs)."""
    folder = world.folder / "books"
    folder.mkdir(exist_ok=True)
    for challenge in (None, world.first, world.second):
        scope = builds.scope_of(challenge)
        fingerprint = builds.book_of(world.event, challenge).fingerprint("fr")
        name = f"{world.event.id}-{scope}-fr.pdf"
        (folder / name).write_bytes(b"%PDF-1.7\n")
        db.session.add(
            BookBuild(
                event_id=world.event.id,
                scope=scope,
                language="fr",
                status=BookStatus.DONE,
                progress=100,
                fingerprint=fingerprint,
                storage_name=name,
            )
        )
    db.session.commit()


def _shown(world) -> dict[str, bool]:
    """Freshness as the organisers' page says it (the kept fingerprints)."""
    challenges = [world.first, world.second]
    return {s: st.fresh for s, st in builds.states(world.event, challenges, "fr").items()}


def _true(world) -> dict[str, bool]:
    """Freshness with the book gathered afresh."""
    return {
        builds.scope_of(c): builds.state(world.event, c, "fr").fresh
        for c in (None, world.first, world.second)
    }


def _idea(w):
    return db.session.scalar(select(Idea).where(Idea.team_id == w.team.id, Idea.title.like("V%")))


def _photo(w):
    return db.session.scalar(
        select(PrototypeFile).where(PrototypeFile.team_id == w.team.id, PrototypeFile.is_photo)
    )


def _membership(w, user):
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.event_id == w.event.id)
    )


# Each change to something a book shows; the scopes whose PDF it makes stale.
CHANGES = {
    "event name": (lambda w: setattr(w.event, "name", "Autre nom"), "all"),
    "event venue": (lambda w: setattr(w.event, "venue", "Ailleurs"), "all"),
    "event dates": (
        lambda w: setattr(w.event, "ends_at", datetime(2030, 7, 11, 17)),
        "all",
    ),
    "theme name": (lambda w: setattr(w.first.theme, "name", "Autre thème"), "first"),
    "theme colour": (lambda w: setattr(w.first.theme, "colour", "#000000"), "first"),
    "challenge question": (lambda w: setattr(w.first, "question", "Pourquoi ?"), "first"),
    "challenge levers": (lambda w: setattr(w.first, "levers", ["Un levier"]), "first"),
    "team name": (lambda w: setattr(w.team, "name", "Les Autres"), "first"),
    "team framing": (lambda w: setattr(w.team, "framing_users", ["Des élèves"]), "first"),
    "team pitch": (lambda w: setattr(w.team, "pitch", "Un autre pitch."), "first"),
    "team stand": (lambda w: setattr(w.team, "stand_number", 9), "first"),
    "persona added": (
        lambda w: db.session.add(Persona(team_id=w.team.id, name="M. Nouveau")),
        "first",
    ),
    "persona removed": (
        lambda w: db.session.execute(delete(Persona).where(Persona.team_id == w.team.id)),
        "first",
    ),
    "idea title": (lambda w: setattr(_idea(w), "title", "Visites du soir"), "first"),
    "idea no longer retained": (lambda w: setattr(_idea(w), "retained_at", None), "first"),
    "dot added": (
        lambda w: db.session.add(Dot(idea_id=_idea(w).id, user_id=w.alice.id, team_id=w.team.id)),
        "first",
    ),
    "photo added": (
        lambda w: db.session.add(
            PrototypeFile(
                team_id=w.team.id,
                original_name="autre.jpg",
                content_type="image/jpeg",
                size_bytes=100,
                storage_name="d" * 32 + ".jpg",
                is_photo=True,
                consent_confirmed=True,
            )
        ),
        "first",
    ),
    "photo deleted": (lambda w: db.session.delete(_photo(w)), "first"),
    "visitor feedback": (
        lambda w: db.session.add(
            FeedbackEntry(team_id=w.team.id, at_exhibition=True, liked="Très clair")
        ),
        "first",
    ),
    "new member": (
        lambda w: db.session.add(
            Membership(user=w.other_owner, event=w.event, team=w.team, role=Role.MEMBER)
        ),
        "first",
    ),
    "member's printed name": (
        lambda w: setattr(_membership(w, w.alice), "name", "Alice M."),
        "first",
    ),
    # The book prints the attendance's name (above) when there is one: the same, then.
    "account name": (lambda w: setattr(w.alice, "name", "Alice Martine"), "none"),
    "consent to names": (lambda w: setattr(w.bruno, "names_consent", True), "first"),
    "owner's endorsement named": (lambda w: setattr(w.owner, "name", "Olga P."), "first"),
    "vote revealed": (lambda w: setattr(w.event, "vote_status", VoteStatus.REVEALED), "all"),
    "opening text": (lambda w: save_settings(w.event, "Bonjour.", "", "number"), "event"),
    "order": (lambda w: save_settings(w.event, "", "", "theme"), "event"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_a_book_shows_makes_it_stale(world, change):
    _built(world)
    assert _shown(world) == _true(world) == dict.fromkeys(_true(world), True)
    alter, stale = CHANGES[change]
    alter(world)
    db.session.commit()
    shown, true = _shown(world), _true(world)
    assert shown == true
    expected_stale = {
        "none": set(),
        "all": set(shown),
        "event": {builds.EVENT_SCOPE},
        "first": {builds.EVENT_SCOPE, builds.scope_of(world.first)},
    }[stale]
    assert {scope for scope, fresh in shown.items() if not fresh} >= expected_stale


def test_the_pages_say_stale_and_the_download_refuses_it(client, world):
    _built(world)
    sign_in(client, world.organiser)
    page = client.get(f"/events/{world.event.slug}/book").get_data(as_text=True)
    assert page.count("À jour.") == 3
    world.team.pitch = "Un autre pitch."
    db.session.commit()
    page = client.get(f"/events/{world.event.slug}/book").get_data(as_text=True)
    assert page.count("À jour.") == 1  # the second challenge's book only
    assert client.get(f"/events/{world.event.slug}/book.pdf").status_code == 303
    assert client.get(f"/events/{world.event.slug}/challenges/1/book.pdf").status_code == 303
    assert client.get(f"/events/{world.event.slug}/challenges/2/book.pdf").status_code == 200
    sign_in(client, world.owner)
    page = client.get(f"/events/{world.event.slug}/challenges/1/book").get_data(as_text=True)
    assert "À jour." not in page


def test_the_fingerprints_are_worked_out_once_per_change(world, monkeypatch):
    _built(world)
    gathered = []
    gather = builds.gather
    monkeypatch.setattr(builds, "gather", lambda *a: gathered.append(1) or gather(*a))
    _shown(world)
    _shown(world)
    assert len(gathered) <= 1
    world.team.pitch = "Un autre pitch."
    db.session.commit()
    _shown(world)
    _shown(world)
    assert len(gathered) <= 2 and gathered


def test_with_built_books_the_organisers_page_runs_a_fixed_number_of_queries(
    client, world, make, count_queries
):
    _built(world)
    sign_in(client, world.organiser)
    url = f"/events/{world.event.slug}/book"
    client.get(url)
    with count_queries() as warm:
        assert client.get(url).status_code == 200
    world.team.pitch = "Un autre pitch."  # the fingerprints are worked out again
    db.session.commit()
    with count_queries() as cold:
        assert client.get(url).status_code == 200
    for _ in range(5):
        make.challenge(world.event)
    db.session.commit()
    with count_queries() as cold_many:
        assert client.get(url).status_code == 200
    with count_queries() as warm_many:
        assert client.get(url).status_code == 200
    assert (len(warm_many), len(cold_many)) == (len(warm), len(cold))


def test_a_challenge_s_book_page_runs_a_fixed_number_of_queries(client, world, make, count_queries):
    _built(world)
    sign_in(client, world.owner)
    url = f"/events/{world.event.slug}/challenges/1/book"
    counts = []
    for _ in range(2):
        client.get(url)  # the fingerprints worked out
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
        for _ in range(5):
            make.challenge(world.event)
        db.session.commit()
    assert counts[0] == counts[1], counts
