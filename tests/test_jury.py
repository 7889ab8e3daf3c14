"""The national jury of an edition: national organisers define the rubric and appoint jurors,
each site nominates up to two teams, jurors score the nominees until the reveal, and the totals
are exact (who else may do what: test_jury_authorization.py)."""

from fractions import Fraction

import pytest
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import (
    Challenge,
    Juror,
    JuryCriterion,
    JuryScore,
    Membership,
    Nomination,
    Role,
    Team,
)
from facilitate.models._types import utcnow
from tests import test_editions

edition = test_editions.edition  # the fixture: an edition without sites
_national = test_editions._national


def _client(app, person):
    """A password session (jurors have a password; hashing one would cost each test 0.25 s)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = person.get_id()
        session["_fresh"] = True
    return client


def _site(make, edition, name, teams=3):
    site = make.event(name=name, challenges=teams)
    site.edition_id = edition.id
    db.session.flush()
    return site


def _site_organiser(make, site):
    person = make.user(email_confirmed_at=utcnow(), password_hash="set")
    db.session.add(Membership(user_id=person.id, event_id=site.id, role=Role.ORGANISER))
    db.session.flush()
    return person


def _juror(make, edition):
    person = make.user(email_confirmed_at=utcnow(), password_hash="set")
    db.session.add(Juror(edition_id=edition.id, user_id=person.id))
    db.session.flush()
    return person


def _criteria(edition):
    return db.session.scalars(
        select(JuryCriterion)
        .where(JuryCriterion.edition_id == edition.id)
        .order_by(JuryCriterion.position)
    ).all()


def _nominate(edition, site, index):
    team = site.challenges[index].team
    nomination = Nomination(
        edition_id=edition.id,
        event_id=site.id,
        team_id=team.id,
        slot=1 + _count(Nomination, Nomination.event_id == site.id),
    )
    db.session.add(nomination)
    db.session.flush()
    return nomination


def _scores(criteria, nomination, values, comment=""):
    data = {f"n{nomination.id}-comment": comment}
    for criterion, value in zip(criteria, values, strict=True):
        data[f"n{nomination.id}-criterion_{criterion.id}"] = str(value)
    return data


def _count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_rubric_nominations_scores_reveal_and_exact_totals(app, make, edition):
    national = _client(app, _national(make, edition))
    rennes, cluny = _site(make, edition, "Rennes"), _site(make, edition, "Cluny")
    rennes_organiser = _site_organiser(make, rennes)
    db.session.commit()

    # The rubric: five default criteria on the first visit; a sixth added, one renamed.
    page = national.get(f"/editions/{edition.id}/jury")
    assert page.status_code == 200
    assert [c.name for c in _criteria(edition)] == [
        "Impact",
        "Créativité",
        "Faisabilité",
        "Pertinence au regard du défi",
        "Présentation",
    ]
    first = _criteria(edition)[0]
    response = national.post(
        f"/editions/{edition.id}/jury/criteria/{first.id}",
        data={f"c{first.id}-name": "Impact pour les usagers", f"c{first.id}-position": "1"},
    )
    assert response.status_code == 303
    assert _criteria(edition)[0].name == "Impact pour les usagers"

    # Nominations: the site's organiser nominates two of Rennes' teams; Cluny one, by the
    # national organiser.
    site = _client(app, rennes_organiser)
    for index in (0, 1):
        team = rennes.challenges[index].team
        response = site.post(f"/events/{rennes.slug}/jury/nominations", data={"team": team.id})
        assert response.status_code == 303
    team = cluny.challenges[2].team
    assert (
        national.post(f"/events/{cluny.slug}/jury/nominations", data={"team": team.id}).status_code
        == 303
    )
    assert _count(Nomination, Nomination.edition_id == edition.id) == 3

    # Jurors: a site organiser from the list, an account by its address.
    make.user(email="nouveau@example.org", password_hash="set")  # address not confirmed
    outsider = make.user(email="jure@example.org", password_hash="set", email_confirmed_at=utcnow())
    db.session.commit()
    assert (
        national.post(
            f"/editions/{edition.id}/jury/jurors", data={"user_id": rennes_organiser.id}
        ).status_code
        == 303
    )
    assert (
        national.post(
            f"/editions/{edition.id}/jury/jurors", data={"email": " JURE@example.org "}
        ).status_code
        == 303
    )
    refused = national.post(
        f"/editions/{edition.id}/jury/jurors", data={"email": "nouveau@example.org"}
    )
    assert refused.status_code == 400
    assert "la personne doit d’abord en avoir un" in refused.text
    assert _count(Juror, Juror.edition_id == edition.id) == 2

    criteria = _criteria(edition)
    a, b, c = db.session.scalars(
        select(Nomination).where(Nomination.edition_id == edition.id).order_by(Nomination.id)
    ).all()
    first_juror, second_juror = site, _client(app, outsider)
    page = second_juror.get(f"/editions/{edition.id}/jury/score")
    assert page.status_code == 200
    assert "Rennes" in page.text and "Cluny" in page.text
    assert rennes.challenges[0].question in page.text
    url = f"/editions/{edition.id}/jury/score"
    given = {
        (first_juror, a): [5, 4, 3, 2, 1],
        (first_juror, b): [3, 3, 3, 3, 3],
        (second_juror, a): [4, 4, 4, 4, 4],
        (second_juror, b): [3, 3, 3, 3, 4],
        (second_juror, c): [5, 5, 5, 5, 5],
    }
    for (juror, nomination), values in given.items():
        response = juror.post(f"{url}/{nomination.id}", data=_scores(criteria, nomination, values))
        assert response.status_code == 303, response.text
    # A juror changes their mind before the reveal.
    response = first_juror.post(
        f"{url}/{b.id}", data=_scores(criteria, b, [2, 2, 2, 2, 2], "Solide, peu original.")
    )
    assert response.status_code == 303
    assert _count(JuryScore) == 25

    progress = national.get(f"/editions/{edition.id}/jury").text
    assert (
        "2 membres du jury sur 2 l’ont notée" in progress
        and "1 membre du jury sur 2 l’a notée" in progress
    )
    # Not revealed: nobody but the national organisers sees anything.
    assert first_juror.get(f"/editions/{edition.id}/jury/results").status_code == 403
    assert national.post(f"/editions/{edition.id}/jury/reveal").status_code == 303
    results = first_juror.get(f"/editions/{edition.id}/jury/results").text
    # a: means 4.5, 4, 3.5, 3, 2.5 = 17.5; b: 2.5 ×4 + 3 = 13; c: 25.
    totals = [Fraction(t) for t in _data_totals(results)]
    assert totals == [Fraction(25), Fraction(35, 2), Fraction(13)]
    assert "17,50" in results and "1er" in results
    # Scores are final once revealed.
    assert first_juror.post(f"{url}/{c.id}", data=_scores(criteria, c, [1] * 5)).status_code == 403
    assert _count(JuryScore, JuryScore.nomination_id == c.id) == 5


def _data_totals(html):
    import re

    return re.findall(r'data-total="([^"]+)"', html)


def test_tied_nominees_share_their_place(app, make, edition):
    national = _national(make, edition)
    site = _site(make, edition, "Rennes")
    juror = _juror(make, edition)
    db.session.commit()
    client = _client(app, juror)
    _client(app, national).get(f"/editions/{edition.id}/jury")
    criteria = _criteria(edition)
    a, b = _nominate(edition, site, 0), _nominate(edition, site, 1)
    db.session.commit()
    for nomination in (a, b):
        client.post(
            f"/editions/{edition.id}/jury/score/{nomination.id}",
            data=_scores(criteria, nomination, [3] * 5),
        )
    edition.jury_revealed_at = utcnow()
    db.session.commit()
    assert client.get(f"/editions/{edition.id}/jury/results").text.count("1er ex æquo") == 2


def test_a_third_nomination_is_refused_with_a_message(app, make, edition):
    site = _site(make, edition, "Rennes")
    organiser = _site_organiser(make, site)
    _nominate(edition, site, 0), _nominate(edition, site, 1)
    db.session.commit()
    client = _client(app, organiser)
    team = site.challenges[2].team
    response = client.post(f"/events/{site.slug}/jury/nominations", data={"team": team.id})
    assert response.status_code == 400
    assert "Un site propose deux équipes au plus" in response.text
    assert _count(Nomination, Nomination.event_id == site.id) == 2


@pytest.mark.parametrize("bad", ["0", "6", "abc", "", "9" * 300])
def test_an_impossible_score_is_refused_and_nothing_lost(app, make, edition, bad):
    site = _site(make, edition, "Rennes")
    juror = _juror(make, edition)
    nomination = _nominate(edition, site, 0)
    db.session.commit()
    client = _client(app, juror)
    client.get(f"/editions/{edition.id}/jury/score")
    criteria = _criteria(edition)
    url = f"/editions/{edition.id}/jury/score/{nomination.id}"
    assert client.post(url, data=_scores(criteria, nomination, [4] * 5)).status_code == 303
    data = _scores(criteria, nomination, [2, 2, 2, 2, 2], "Nouveau commentaire")
    data[f"n{nomination.id}-criterion_{criteria[1].id}"] = bad
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Donnez à «\u00a0Créativité\u00a0» une note de 1 à 5." in response.text
    # What the juror typed stays on the form; what was saved stays saved.
    assert "Nouveau commentaire" in response.text
    assert db.session.scalars(select(JuryScore.score)).all() == [4] * 5


def test_juror_and_results_pages_run_a_fixed_number_of_queries(app, make, edition, count_queries):
    national = _national(make, edition)
    juror = _juror(make, edition)
    first = _site(make, edition, "Rennes")
    _nominate(edition, first, 0)
    db.session.commit()
    nat, jur = _client(app, national), _client(app, juror)
    nat.get(f"/editions/{edition.id}/jury")
    edition.jury_revealed_at = utcnow()
    db.session.commit()
    pages = [
        (jur, f"/editions/{edition.id}/jury/score"),
        (nat, f"/editions/{edition.id}/jury/results"),
        (nat, f"/editions/{edition.id}/jury"),
    ]
    few = []
    for client, url in pages:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        few.append(len(queries))
    for name in ("Cluny", "Aix", "Martinique"):
        site = _site(make, edition, name)
        _nominate(edition, site, 0), _nominate(edition, site, 1)
        db.session.add(Juror(edition_id=edition.id, user_id=make.user().id))
    db.session.commit()
    criteria = _criteria(edition)
    for nomination in db.session.scalars(select(Nomination)):
        for criterion in criteria:
            db.session.add(
                JuryScore(
                    juror_id=db.session.scalar(select(Juror.id).where(Juror.user_id == juror.id)),
                    nomination_id=nomination.id,
                    criterion_id=criterion.id,
                    score=3,
                )
            )
    db.session.commit()
    many = []
    for client, url in pages:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        many.append(len(queries))
    assert many == few


def test_the_rubric_keeps_its_criteria_once_scoring_has_begun(app, make, edition):
    national = _client(app, _national(make, edition))
    site = _site(make, edition, "Rennes")
    juror = _juror(make, edition)
    nomination = _nominate(edition, site, 0)
    db.session.commit()
    url = f"/editions/{edition.id}/jury"
    national.get(url)
    assert national.post(f"{url}/criteria", data={"name": "Sobriété"}).status_code == 303
    criteria = _criteria(edition)
    assert [c.name for c in criteria][-1] == "Sobriété"
    _client(app, juror).post(
        f"{url}/score/{nomination.id}", data=_scores(criteria, nomination, [3] * 6)
    )
    assert _count(JuryScore) == 6
    refused = national.post(f"{url}/criteria", data={"name": "Coût"})
    assert "Les membres du jury ont commencé à noter" in refused.text
    national.post(f"{url}/criteria/{criteria[0].id}/remove")
    assert "Les membres du jury ont commencé à noter" in national.get(url).text
    assert len(_criteria(edition)) == 6 and _count(JuryScore) == 6


def test_jurors_and_site_organisers_find_their_way(app, make, edition):
    site = _site(make, edition, "Rennes")
    organiser, juror = _site_organiser(make, site), _juror(make, edition)
    db.session.commit()
    juror_client = _client(app, juror)
    assert "/editions" in juror_client.get("/").text
    assert f"/editions/{edition.id}/jury/score" in juror_client.get("/editions").text
    hub = _client(app, organiser).get(f"/events/{site.slug}/organise").text
    assert f"/events/{site.slug}/jury/nominations" in hub


def test_the_nominations_page_runs_a_fixed_number_of_queries(app, make, edition, count_queries):
    site = _site(make, edition, "Rennes", teams=2)
    organiser = _site_organiser(make, site)
    db.session.commit()
    client = _client(app, organiser)
    url = f"/events/{site.slug}/jury/nominations"
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for number in range(3, 12):
        team = Team(event_id=site.id)
        db.session.add(Challenge(event_id=site.id, number=number, question="?", team=team))
    _nominate(edition, site, 0), _nominate(edition, site, 1)
    other = _site(make, edition, "Cluny", teams=4)
    _nominate(edition, other, 0)
    db.session.commit()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
