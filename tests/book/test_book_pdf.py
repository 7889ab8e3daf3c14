"""What the book's PDFs hold, their tags, and when they are built again."""

import io
from datetime import timedelta

from pypdf import PdfReader

from facilitate.book import builds
from facilitate.book.services import gather, save_settings
from facilitate.extensions import db
from facilitate.models import BookStatus, VoteStatus
from facilitate.models._types import utcnow
from facilitate.privacy.services import (
    erase_attendee,
)
from tests.book.conftest import pdf_text
from tests.factories import attendance, sign_in


def _challenge_pdf(client, world, number=1) -> bytes:
    base = f"/events/{world.event.slug}/challenges/{number}/book"
    assert client.post(f"{base}/build").status_code == 303
    response = client.get(f"{base}.pdf")
    assert response.status_code == 200, response.headers
    assert response.mimetype == "application/pdf"
    return response.data


def test_an_owner_s_book_holds_the_team_s_work_and_only_consented_names(client, world):
    sign_in(client, world.owner)
    text = pdf_text(_challenge_pdf(client, world))
    for expected in (
        "Comment relever le défi 1",
        "Les Glaciers",
        "Comment rendre la glacière utile à tous",
        "Mme Usagère",
        "Visites scolaires",
        "Un musée du froid",
        "Olga Porteuse",  # the owner endorsed, and agreed to be named
        "Une maquette de visite guidée",
        "Les enfants ont adoré le test",
        "Le parcours sonore",
        "Une glacière ouverte aux écoles",
        "Alice Martin",
    ):
        assert expected in text, expected
    assert "Bruno Secret" not in text
    assert "1 autre personne" in text
    # The vote is closed, not revealed: no result yet.
    assert "classé" not in text


def test_the_book_is_tagged_for_assistive_technologies(client, world):
    sign_in(client, world.organiser)
    reader = PdfReader(io.BytesIO(_challenge_pdf(client, world)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean object)
    tags = set()

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif hasattr(node, "get"):
            if "/S" in node:
                tags.add(node["/S"])
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/Figure"} <= tags
    # The one consented photo is in; the PDF document is not a picture.
    assert len({image.name for page in reader.pages for image in page.images}) == 1


def test_the_vote_result_appears_once_revealed(client, world):
    world.event.vote_status = VoteStatus.REVEALED
    db.session.commit()
    sign_in(client, world.other_owner)
    text = pdf_text(_challenge_pdf(client, world, number=2))
    assert "1 voix" in text and "classé 1" in text


def test_a_built_book_is_reused_until_the_data_changes(client, world, app):
    sign_in(client, world.owner)
    _challenge_pdf(client, world)
    build = builds.state(world.event, world.first, "fr").build
    first_file, first_finished = build.storage_name, build.finished_at
    _challenge_pdf(client, world)
    db.session.refresh(build)
    assert (build.storage_name, build.finished_at) == (first_file, first_finished)

    world.team.pitch = "Un nouveau pitch."
    db.session.commit()
    assert not builds.state(world.event, world.first, "fr").fresh
    # A stale book is not served: the page offers to build it again.
    page = client.get(f"/events/{world.event.slug}/challenges/1/book.pdf")
    assert page.status_code == 303
    assert "Un nouveau pitch" in pdf_text(_challenge_pdf(client, world))
    db.session.refresh(build)
    assert build.storage_name != first_file
    assert not (world.folder / "books" / first_file).exists()


def test_a_build_is_claimed_by_one_worker_only(world, app):
    build = builds.request_build(world.event, world.first, "fr")
    assert build.status == BookStatus.DONE
    # Another process arriving late finds nothing to claim, and changes nothing.
    builds.run_build(build.id, "fr")
    db.session.refresh(build)
    assert build.status == BookStatus.DONE


def test_the_whole_book_has_its_texts_contents_and_order(client, world):
    sign_in(client, world.organiser)
    slug = world.event.slug
    response = client.post(
        f"/events/{slug}/book/settings",
        data={
            "opening": "Bienvenue dans ce livret.",
            "closing": "Merci à toutes et à tous.",
            "order": "theme",
        },
    )
    assert response.status_code == 303
    assert client.post(f"/events/{slug}/book/build").status_code == 303
    response = client.get(f"/events/{slug}/book.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Sommaire" in text and "Ouverture" in text and "Clôture" in text
    # Opening, then the challenges by theme (the factory puts challenge 2 in the first theme),
    # then the closing.
    body = text[text.index("Bienvenue dans ce livret") :]
    assert body.index("Comment relever le défi 2") < body.index("Comment relever le défi 1")
    assert body.index("Comment relever le défi 1") < body.index("Merci à toutes et à tous.")


def test_the_book_follows_the_chosen_order(world):
    save_settings(world.event, "", "", "stand")
    assert [c.number for c in gather(world.event).chapters] == [1, 2]
    save_settings(world.event, "", "", "theme")
    assert [c.number for c in gather(world.event).chapters] == [2, 1]


def test_erasing_a_person_discards_the_event_s_books(world):
    build = builds.request_build(world.event, world.first, "fr")
    path = world.folder / "books" / build.storage_name
    assert path.exists()
    erase_attendee(world.event, attendance(world.alice, world.event), world.organiser)
    db.session.commit()
    assert not path.exists()
    assert builds.find(world.event, world.first, "fr") is None
    rebuilt = builds.request_build(world.event, world.first, "fr")
    with open(world.folder / "books" / rebuilt.storage_name, "rb") as f:
        assert "Alice Martin" not in pdf_text(f.read())


def test_the_status_says_how_far_a_build_is(client, world):
    sign_in(client, world.owner)
    url = f"/events/{world.event.slug}/challenges/1/book/status"
    assert client.get(url).json == {"status": None, "progress": 0, "running": False}
    client.post(f"/events/{world.event.slug}/challenges/1/book/build")
    assert client.get(url).json == {"status": "done", "progress": 100, "running": False}


def test_the_build_reports_its_progress_as_pages_are_laid_out(world, monkeypatch):
    heard = []
    monkeypatch.setattr(builds, "_progress", lambda build_id, percent: heard.append(percent))
    builds.request_build(world.event, None, "fr")
    assert heard == sorted(heard) and heard[-1] == 85
    assert len(heard) >= 4  # a few steps of the layout, not a jump from the start to the end


def test_a_build_left_by_a_dead_process_is_taken_over(world):
    build = builds.request_build(world.event, world.first, "fr")
    # A process claimed it a minute ago: it is under way, nobody else builds it.
    build.status, build.started_at = BookStatus.BUILDING, utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert builds.request_build(world.event, world.first, "fr").status == BookStatus.BUILDING
    # As if that process had died with it: the next request builds it again.
    build.started_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    again = builds.request_build(world.event, world.first, "fr")
    assert again.id == build.id and again.status == BookStatus.DONE


def test_a_build_under_way_is_not_asked_twice(world, monkeypatch):
    started = []
    monkeypatch.setattr(
        builds, "_start", lambda build_id, language, background: started.append(build_id)
    )
    first = builds.request_build(world.event, world.first, "fr")
    second = builds.request_build(world.event, world.first, "fr")
    assert first.id == second.id and first.status == BookStatus.QUEUED
    assert started == [first.id]


def test_each_book_changes_with_what_it_shows_only(world):
    before = gather(world.event)
    save_settings(world.event, "Une ouverture.", "", "number")
    after = gather(world.event)
    assert before.fingerprint("fr") != after.fingerprint("fr")
    assert before.fingerprint("fr") != before.fingerprint("en")
    # A challenge's book shows neither the opening nor the other challenges.
    assert before.for_challenge(world.first.id).fingerprint("fr") == after.for_challenge(
        world.first.id
    ).fingerprint("fr")
    world.second.team.pitch = "Autre pitch."
    later = gather(world.event)
    assert later.for_challenge(world.first.id).fingerprint("fr") == after.for_challenge(
        world.first.id
    ).fingerprint("fr")
    assert later.for_challenge(world.second.id).fingerprint("fr") != after.for_challenge(
        world.second.id
    ).fingerprint("fr")


def test_the_command_line_builds_a_book(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["build-book", world.event.slug, "--challenge", "1"])
    assert result.exit_code == 0, result.output
    with open(result.output.strip(), "rb") as f:
        assert "Les Glaciers" in pdf_text(f.read())
    result = runner.invoke(args=["build-book", world.event.slug, "--challenge", "9"])
    assert result.exit_code == 1 and "9" in result.output


def test_a_person_erased_while_their_book_is_built_leaves_no_pdf_behind(world, monkeypatch):
    """Erasing discards the event's books; a build under way at that moment must not then
    leave its PDF, which names the person, on the disk."""

    def write_while_erasing(html, target, expected_pages, progress):
        with open(target, "wb") as f:
            f.write(b"%PDF-1.7 Alice Martin")
        erase_attendee(world.event, attendance(world.alice, world.event), world.organiser)
        db.session.commit()

    monkeypatch.setattr(builds.rendering, "write_pdf", write_while_erasing)
    builds.request_build(world.event, world.first, "fr")
    assert list((world.folder / "books").iterdir()) == []
    assert builds.find(world.event, world.first, "fr") is None
