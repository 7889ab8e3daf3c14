"""The edition's showcase (issue 15, item 3): every site's teams on show, by theme across the
sites (a theme spelt "Santé" at one site and "sante" at another is one theme), each with its
site's name and a link to that site's page; nothing of a team kept off its site's showcase, nor
of a site of another edition."""

import re

import pytest

from facilitate.extensions import db
from facilitate.models import Edition, Idea, PrototypeFile
from facilitate.models._types import utcnow
from tests.factories import sign_in


@pytest.fixture
def edition():
    found = Edition(name="Université d’été", year=2018)
    db.session.add(found)
    db.session.flush()
    return found


def _site(make, edition, name: str, themes: list[str], challenges: int = 2):
    site = make.event(challenges=challenges, themes=len(themes), name=name, edition_id=edition.id)
    for theme, theme_name in zip(site.themes, themes, strict=True):
        theme.name = theme_name
    for challenge in site.challenges:
        challenge.question = f"{name} : défi {challenge.number} ?"
    db.session.flush()
    return site


def _show(challenge, shown: bool = True):
    challenge.team.on_showcase = shown
    challenge.team.name = f"Équipe {challenge.event.name} {challenge.number}"


def _page(client, edition):
    return client.get(f"/editions/{edition.id}/showcase", headers={"Accept-Language": "en"})


def test_the_teams_on_show_of_every_site_meet_under_one_theme_by_name(client, make, edition):
    rennes = _site(make, edition, "Rennes", ["Santé", "Mobilités"])
    cluny = _site(make, edition, "Cluny", ["SANTE ", "Culture"])
    for challenge in [*rennes.challenges, *cluny.challenges]:
        _show(challenge)
    db.session.commit()
    page = _page(client, edition)
    assert page.status_code == 200
    text = page.text
    # One health section, under the first site's spelling (the sites in name order: Cluny).
    headings = [
        " ".join(h.split()) for h in re.findall(r'class="theme__title"[^>]*>(.*?)</h2', text, re.S)
    ]
    assert [re.sub(r"<svg.*?</svg>", "", h).strip() for h in headings] == [
        "SANTE",
        "Culture",
        "Mobilités",
    ]
    health = text[text.index("SANTE") : text.index("Culture")]
    assert "Rennes : défi 2 ?" in health and "Cluny : défi 2 ?" in health
    assert health.index("Cluny · Challenge 2") < health.index("Rennes · Challenge 2")
    assert f'href="/events/{rennes.slug}/showcase/2"' in health
    assert client.get(f"/events/{rennes.slug}/showcase/2").status_code == 200


def test_a_team_kept_off_its_sites_showcase_never_shows(client, make, edition):
    rennes = _site(make, edition, "Rennes", ["Santé"])
    shown, hidden = rennes.challenges
    _show(shown)
    _show(hidden, shown=False)
    db.session.add(Idea(team_id=hidden.team.id, title="Idée secrète", retained_at=utcnow()))
    db.session.commit()
    text = _page(client, edition).text
    assert "Rennes : défi 1 ?" in text
    assert "Rennes : défi 2 ?" not in text
    assert hidden.team.name not in text and "Idée secrète" not in text


def test_a_site_of_another_edition_never_shows(client, make, edition):
    other = Edition(name="Université d’hiver", year=2019)
    db.session.add(other)
    db.session.flush()
    _show(_site(make, edition, "Rennes", ["Santé"]).challenges[0])
    elsewhere = _site(make, other, "Strasbourg", ["Santé"])
    alone = make.event(challenges=1, name="Brest")  # of no edition
    for challenge in [*elsewhere.challenges, *alone.challenges]:
        _show(challenge)
    db.session.commit()
    text = _page(client, edition).text
    assert "Rennes : défi 1 ?" in text
    assert "Strasbourg" not in text and "Brest" not in text


def test_anyone_reads_it_and_an_unknown_edition_is_404(client, make, edition):
    _show(_site(make, edition, "Rennes", ["Santé"]).challenges[0])
    elsewhere = make.event(name="Brest")
    stranger = make.participant(elsewhere)
    db.session.commit()
    assert _page(client, edition).status_code == 200
    sign_in(client, stranger, elsewhere)
    assert "Rennes : défi 1 ?" in _page(client, edition).text
    assert client.get("/editions/999999/showcase").status_code == 404


def test_each_sites_showcase_and_the_national_dashboard_link_to_it(client, make, edition):
    rennes = _site(make, edition, "Rennes", ["Santé"])
    alone = make.event(challenges=1, name="Brest")
    db.session.commit()
    url = f"/editions/{edition.id}/showcase"
    assert url in client.get(f"/events/{rennes.slug}/showcase").text
    assert "/editions/" not in client.get(f"/events/{alone.slug}/showcase").text


def test_the_same_queries_whatever_the_number_of_sites_and_teams(client, make, count_queries):
    def edition_of(sites: int, teams: int) -> Edition:
        found = Edition(name=f"Édition {sites}", year=2018)
        db.session.add(found)
        db.session.flush()
        for s in range(sites):
            site = _site(make, found, f"Site {s}", ["Santé", f"Thème {s}"], challenges=teams)
            for challenge in site.challenges:
                _show(challenge)
                db.session.add(Idea(team_id=challenge.team.id, title="Idée", retained_at=utcnow()))
                db.session.add(
                    PrototypeFile(
                        team_id=challenge.team.id,
                        original_name="photo.png",
                        content_type="image/png",
                        size_bytes=100,
                        storage_name=f"{challenge.team.id:08x}{0:024x}.png",
                        is_photo=True,
                        consent_confirmed=True,
                    )
                )
        db.session.commit()
        return found

    small, large = edition_of(1, 1), edition_of(6, 8)
    with count_queries() as few:
        assert _page(client, small).status_code == 200
    with count_queries() as lots:
        page = _page(client, large)
    assert page.status_code == 200
    assert page.text.count("Idée") == 48
    assert len(few) == len(lots)
