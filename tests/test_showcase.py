"""The public showcase (issue 14, item 6): nothing of a team is public until its facilitator or
an organiser puts it there; then anyone sees its retained idea, its prototype and its consented
photos, named by team and challenge only."""

import io

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import AuditEntry, Idea, Membership, PrototypeFile, Role
from facilitate.models._types import utcnow
from facilitate.people.management import remove_attendee
from tests.factories import PASSWORD, sign_in
from tests.test_workspace_prototyping import PDF, PNG, folder  # noqa: F401  (a fixture)

# Every test here stores files in a folder of its own.
pytestmark = pytest.mark.usefixtures("folder")


@pytest.fixture
def event(make):
    return make.event(challenges=2, themes=2, name="Université d’été de Rennes")


@pytest.fixture
def team(event):
    return event.challenges[0].team


def _facilitator(make, event, team, password: bool = False):
    person = make.user(password=PASSWORD if password else None, name="Éric Le Gall")
    make.join(event, person)
    db.session.add(Membership(user=person, event=event, team=team, role=Role.FACILITATOR))
    db.session.flush()
    return person


def _work(make, client, event, team, public: bool = True) -> dict:
    """The team's work as its member leaves it: a retained idea, a prototype, a consented photo
    (that may be public unless ``public`` is false) and a PDF, uploaded the way the workspace
    takes them. Returns the files by kind."""
    member = make.participant(event, team=team, name="Marie Dupont")
    db.session.add(
        Idea(
            team_id=team.id,
            title="Le guichet qui roule",
            retained_at=utcnow(),
            retained_reason="Il va vers les habitants",
            author_id=member.id,
        )
    )
    team.name = "Les Roulants"
    team.prototype_summary = "Un camion aménagé en mairie mobile"
    db.session.commit()
    sign_in(client, member)
    url = f"/events/{event.slug}/teams/{team.challenge.number}/workspace/files"
    for content, name in ((PNG, "marie-dupont.png"), (PDF, "plan.pdf")):
        data = {"file": (io.BytesIO(content), name, "image/png"), "consent": "y"}
        if public:
            data["public_consent"] = "y"
        assert client.post(url, data=data, content_type="multipart/form-data").status_code == 303
    client.post("/sign-out")
    rows = db.session.scalars(select(PrototypeFile).where(PrototypeFile.team_id == team.id)).all()
    return {("photo" if row.is_photo else "pdf"): row for row in rows}


def _file_url(event, team, row, small: bool = False) -> str:
    suffix = "/small" if small else ""
    return f"/events/{event.slug}/teams/{team.challenge.number}/workspace/files/{row.id}{suffix}"


def _toggle(client, event, team, choice: str):
    return client.post(
        f"/events/{event.slug}/teams/{team.challenge.number}/showcase", data={"choice": choice}
    )


def _public_page(client, event, suffix: str = ""):
    return client.get(f"/events/{event.slug}/showcase{suffix}", headers={"Accept-Language": "en"})


def test_a_team_is_not_on_the_showcase_until_someone_puts_it_there(client, make, event, team):
    files = _work(make, client, event, team)
    page = _public_page(client, event)
    assert page.status_code == 200
    assert "Le guichet qui roule" not in page.text
    assert "No team’s work is on the showcase yet." in page.text
    assert _public_page(client, event, "/1").status_code == 404
    for small in (False, True):
        response = client.get(_file_url(event, team, files["photo"], small))
        assert response.status_code == 302 and "/sign-in" in response.location
    # Someone of another event is no reader either.
    stranger = make.participant(make.event())
    db.session.commit()
    sign_in(client, stranger)
    assert client.get(_file_url(event, team, files["photo"])).status_code == 403


def test_the_facilitator_shows_the_teams_work_to_anyone_without_names(client, make, event, team):
    files = _work(make, client, event, team)
    facilitator = _facilitator(make, event, team)
    db.session.commit()
    sign_in(client, facilitator)
    workspace = client.get(f"/events/{event.slug}/teams/1/workspace").text
    assert 'id="showcase"' in workspace
    response = _toggle(client, event, team, "show")
    assert response.status_code == 303
    assert response.location.endswith("/workspace#showcase")
    assert db.session.get(type(team), team.id).on_showcase
    assert "sur la vitrine publique" in client.get(response.location).text
    client.post("/sign-out")

    page = _public_page(client, event)
    assert page.status_code == 200
    for text in (
        "Le guichet qui roule",
        "Il va vers les habitants",
        "Un camion aménagé en mairie mobile",
        "Les Roulants",
        "Theme 2",
        _file_url(event, team, files["photo"], small=True),
    ):
        assert text in page.text, text
    # The other challenge's team was not put there.
    assert event.challenges[1].question not in page.text
    # No person is named: not the member, the facilitator, nor the photo's file name.
    for name in ("Marie Dupont", "Éric Le Gall", "marie-dupont"):
        assert name not in page.text
    single = _public_page(client, event, "/1")
    assert single.status_code == 200
    assert "Le guichet qui roule" in single.text and "Marie Dupont" not in single.text

    photo = client.get(_file_url(event, team, files["photo"]))
    assert photo.status_code == 200 and photo.data == PNG
    assert "marie-dupont" not in photo.headers["Content-Disposition"]
    assert client.get(_file_url(event, team, files["photo"], small=True)).status_code == 200
    # Only consented photos: the team's PDF stays for the event's people.
    assert client.get(_file_url(event, team, files["pdf"])).status_code == 302


def test_taking_a_team_off_hides_it_again_and_its_photos(client, make, event, team):
    files = _work(make, client, event, team)
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    assert _toggle(client, event, team, "show").status_code == 303
    assert _toggle(client, event, team, "show").status_code == 303  # twice: still shown
    assert db.session.get(type(team), team.id).on_showcase
    assert _toggle(client, event, team, "hide").status_code == 303
    history = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.event_id == event.id).order_by(AuditEntry.id)
    ).all()
    assert history[-2:] == ["team.shown_on_showcase", "team.hidden_from_showcase"]
    page = client.get(f"/events/{event.slug}/history").text
    assert "a mis l’équipe du défi 1 sur la vitrine publique" in page
    client.post("/sign-out")
    assert "Le guichet qui roule" not in _public_page(client, event).text
    assert _public_page(client, event, "/1").status_code == 404
    assert client.get(_file_url(event, team, files["photo"])).status_code == 302


@pytest.mark.parametrize("who", ["member", "other team's facilitator", "other event's facilitator"])
def test_only_the_teams_facilitator_or_an_organiser_puts_it_on_the_showcase(
    client, make, event, team, who
):
    if who == "member":
        person = make.participant(event, team=team)
    elif who == "other team's facilitator":
        person = _facilitator(make, event, event.challenges[1].team)
    else:
        other = make.event(challenges=1)
        person = _facilitator(make, other, other.challenges[0].team)
    db.session.commit()
    sign_in(client, person)
    assert _toggle(client, event, team, "show").status_code == 403
    assert not db.session.get(type(team), team.id).on_showcase
    assert 'id="showcase"' not in client.get(f"/events/{event.slug}/teams/1/workspace").text


def test_a_removed_facilitator_no_longer_puts_the_team_on_the_showcase(client, make, event, team):
    facilitator = _facilitator(make, event, team, password=True)
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, facilitator)
    remove_attendee(event, facilitator, organiser)
    db.session.commit()
    assert _toggle(client, event, team, "show").status_code == 403
    assert not db.session.get(type(team), team.id).on_showcase


def test_nobody_signed_in_is_sent_to_sign_in(client, event, team):
    response = _toggle(client, event, team, "show")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert not db.session.get(type(team), team.id).on_showcase


def test_a_choice_that_is_neither_show_nor_hide_changes_nothing(client, make, event, team):
    db.session.commit()
    sign_in(client, make.organiser(event))
    db.session.commit()
    response = _toggle(client, event, team, "maybe")
    assert response.status_code == 303
    assert not db.session.get(type(team), team.id).on_showcase
    assert "Rien n’a changé" in client.get(response.location).text


def test_the_showcase_runs_the_same_queries_whatever_the_number_of_teams(
    client, make, count_queries
):
    def showcase_of(teams: int):
        event = make.event(challenges=teams, themes=2)
        for challenge in event.challenges:
            challenge.team.on_showcase = True
            challenge.team.prototype_summary = "Un prototype"
            db.session.add(
                Idea(
                    team_id=challenge.team.id,
                    title=f"Idée {challenge.number}",
                    retained_at=utcnow(),
                )
            )
            for i in range(2):
                db.session.add(
                    PrototypeFile(
                        team_id=challenge.team.id,
                        original_name="photo.png",
                        content_type="image/png",
                        size_bytes=100,
                        storage_name=f"{challenge.team.id:08x}{i:024x}.png",
                        is_photo=True,
                        consent_confirmed=True,
                        public_consent=True,
                    )
                )
        db.session.commit()
        return event

    one, many = showcase_of(1), showcase_of(12)
    with count_queries() as few:
        assert _public_page(client, one).status_code == 200
    with count_queries() as lots:
        page = _public_page(client, many)
    assert page.status_code == 200
    assert page.text.count("Idée ") == 12
    assert len(few) == len(lots)
