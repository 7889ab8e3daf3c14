"""The debrief (issue 14, item 4): attendees answer once, from a phone, anonymously unless
they choose; organisers open and close it, choose its parts, read the answers gathered and
export them."""

import csv
import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitate.extensions import db
from facilitate.models import Debrief, DebriefAnswer, Stage
from tests.factories import sign_in

PARTS = ["Accueil", "Cadrage", "Idéation"]
EN = {"Accept-Language": "en"}


@pytest.fixture
def debrief(event):
    row = Debrief(event_id=event.id, is_open=True, parts=PARTS)
    db.session.add(row)
    db.session.commit()
    return row


def _answer(event, person, show_name=False, keep="", change="", scores=(5, 4, 3)):
    db.session.add(
        DebriefAnswer(
            event_id=event.id,
            user_id=person.id,
            scores=dict(zip(PARTS, scores, strict=False)),
            keep=keep,
            change=change,
            show_name=show_name,
        )
    )
    db.session.flush()


def test_an_attendee_answers_once_and_changes_their_mind(client, make, event, debrief):
    person = make.participant(event)
    db.session.commit()
    sign_in(client, person)
    page = client.get(f"/events/{event.slug}/debrief")
    assert page.status_code == 200 and "Idéation" in page.text
    form = {"score_0": "5", "score_1": "2", "score_2": "", "keep": "Les défis", "change": ""}
    assert client.post(f"/events/{event.slug}/debrief", data=form).status_code == 303
    form |= {"score_1": "3", "show_name": "y"}
    assert client.post(f"/events/{event.slug}/debrief", data=form).status_code == 303
    (answer,) = db.session.scalars(select(DebriefAnswer)).all()
    assert answer.scores == {"Accueil": 5, "Cadrage": 3}
    assert (answer.keep, answer.show_name) == ("Les défis", True)
    page = client.get(f"/events/{event.slug}/debrief").text
    assert '<input checked id="score_1-2" name="score_1" type="radio" value="3">' in page


def test_answers_are_refused_once_closed_and_kept(client, make, event, debrief):
    person = make.participant(event)
    _answer(event, person, keep="Avant")
    debrief.is_open = False
    db.session.commit()
    sign_in(client, person)
    response = client.post(
        f"/events/{event.slug}/debrief", data={"keep": "Après", "score_0": "1"}, headers=EN
    )
    assert response.status_code == 409
    assert "questionnaire is closed" in response.text
    assert db.session.scalar(select(DebriefAnswer.keep)) == "Avant"


def test_a_score_out_of_range_is_refused(client, make, event, debrief):
    person = make.participant(event)
    db.session.commit()
    sign_in(client, person)
    response = client.post(f"/events/{event.slug}/debrief", data={"score_0": "9"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(DebriefAnswer.id))) == 0


def test_the_database_holds_one_answer_per_person(make, event, debrief):
    person = make.participant(event)
    _answer(event, person)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        _answer(event, person)


def test_organisers_see_counts_means_and_texts_without_names_unless_given(
    client, make, event, debrief, organiser, count_queries
):
    _answer(event, make.participant(event, name="Alice Martin"), keep="Zèle", scores=(5, 4))
    _answer(
        event,
        make.participant(event, name="Bruno Petit"),
        show_name=True,
        change="Plus de café",
        scores=(3, 4, 1),
    )
    db.session.commit()
    with count_queries() as few:
        page = client.get(f"/events/{event.slug}/debrief/answers", headers=EN)
    assert page.status_code == 200
    text = page.text
    assert "Alice Martin" not in text and "Bruno Petit" in text
    assert "Zèle" in text and "Anonymous" in text
    assert 'role="img"' in text and "<table" in text
    # Accueil: one 5 and one 3, mean 4.0; Idéation: one 1.
    assert "<td>4.0</td>" in text and "<td>1.0</td>" in text
    # In French the same means read with a decimal comma (written once per language).
    french = client.get(f"/events/{event.slug}/debrief/answers").text
    assert "<td>4,0</td>" in french and "<td>1,0</td>" in french
    for n in range(5):
        _answer(event, make.participant(event), keep=f"Texte {n}")
    db.session.commit()
    with count_queries() as more:
        client.get(f"/events/{event.slug}/debrief/answers")
    assert len(more) == len(few)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_the_export_names_only_those_who_chose(client, make, event, debrief, organiser, fmt):
    _answer(event, make.participant(event, name="Alice Martin"), keep="Zèle")
    _answer(event, make.participant(event, name="Bruno Petit"), show_name=True)
    db.session.commit()
    response = client.get(f"/events/{event.slug}/debrief/answers/export.{fmt}")
    assert response.status_code == 200
    assert "debrief" in response.headers["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
        flat = " ".join(" ".join(r) for r in rows)
        assert "Bruno Petit" in flat and "Alice Martin" not in flat and "Zèle" in flat
        assert "Idéation" in rows[0]


def test_organisers_open_close_and_choose_the_parts(client, event, organiser):
    base = f"/events/{event.slug}/debrief"
    assert client.post(f"{base}/open").status_code == 303
    assert db.session.scalar(select(Debrief.is_open)) is True
    response = client.post(f"{base}/parts", data={"parts": "Accueil\r\n\r\nRepas\r\n"})
    assert response.status_code == 303
    assert db.session.scalar(select(Debrief.parts)) == ["Accueil", "Repas"]
    refused = client.post(f"{base}/parts", data={"parts": "Repas\nrepas"}, headers=EN)
    assert refused.status_code == 400 and "twice" in refused.text
    assert db.session.scalar(select(Debrief.parts)) == ["Accueil", "Repas"]
    assert client.post(f"{base}/close").status_code == 303
    assert db.session.scalar(select(Debrief.is_open)) is False


# --- Who may do what --------------------------------------------------------------------------


def _organiser_routes(event):
    base = f"/events/{event.slug}/debrief"
    return [
        ("get", f"{base}/answers"),
        ("post", f"{base}/parts"),
        ("post", f"{base}/open"),
        ("post", f"{base}/close"),
        ("get", f"{base}/answers/export.csv"),
    ]


@pytest.mark.parametrize("who", ["other organiser", "other participant", "participant"])
def test_only_the_events_organisers_see_the_answers(client, make, event, debrief, who):
    _answer(event, make.participant(event), keep="Secret")
    other = make.event()
    person = {
        "other organiser": lambda: make.organiser(other),
        "other participant": lambda: make.participant(other),
        "participant": lambda: make.participant(event),
    }[who]()
    db.session.commit()
    sign_in(client, person)
    for method, url in _organiser_routes(event):
        response = getattr(client, method)(url, data={"parts": "x"})
        assert response.status_code == 403, (method, url)
    if who != "participant":
        assert client.get(f"/events/{event.slug}/debrief").status_code == 403
        assert client.post(f"/events/{event.slug}/debrief", data={}).status_code == 403
    assert db.session.scalar(select(Debrief.parts)) == PARTS


def test_a_removed_person_can_no_longer_answer(client, make, event, debrief):
    from facilitate.people.management import remove_attendee

    person = make.participant(event)
    db.session.commit()
    sign_in(client, person)
    remove_attendee(event, person, None)
    db.session.commit()
    response = client.post(f"/events/{event.slug}/debrief", data={"score_0": "5"})
    assert response.status_code in (302, 403)
    assert db.session.scalar(select(func.count(DebriefAnswer.id))) == 0


def test_the_event_page_links_to_the_open_questionnaire(client, make, event, debrief):
    person = make.participant(event)
    db.session.commit()
    sign_in(client, person)
    assert f"/events/{event.slug}/debrief" not in client.get(f"/events/{event.slug}").text
    event.stage = Stage.EXHIBITION
    db.session.commit()
    assert f"/events/{event.slug}/debrief" in client.get(f"/events/{event.slug}").text
    debrief.is_open = False
    db.session.commit()
    assert f"/events/{event.slug}/debrief" not in client.get(f"/events/{event.slug}").text


# --- Personal data ----------------------------------------------------------------------------


def test_an_erased_persons_answer_keeps_counting_without_their_name(make, event, debrief):
    from facilitate.debrief.services import summary
    from facilitate.privacy.own_data import personal_data
    from facilitate.privacy.services import erase_attendee
    from tests.factories import attendance, join

    person = make.participant(event, name="Alice Martin")
    join(make.event(), person)  # attends another event: their account stays theirs
    _answer(event, person, show_name=True, keep="Les ateliers")
    assert personal_data(event, person)["debrief"]["keep"] == "Les ateliers"
    erase_attendee(event, attendance(person, event), None)
    found = summary(event)
    assert found.answers == 1 and found.keep == [("Les ateliers", None)]
    assert db.session.scalar(select(DebriefAnswer.user_id)) != person.id


def test_scores_sent_for_parts_since_changed_are_refused_then_taken(client, make, event, debrief):
    """Scores are matched to the parts by position: a part inserted while the page was open
    would move each score onto another part. The person is asked to check, then sends again."""
    person = make.participant(event)
    db.session.commit()
    sign_in(client, person)
    page = client.get(f"/events/{event.slug}/debrief").text
    digest = page.split('name="parts_digest" type="hidden" value="')[1].split('"')[0]
    debrief.parts = ["Repas", *PARTS]  # an organiser inserts a part meanwhile
    db.session.commit()
    form = {"parts_digest": digest, "score_0": "5", "score_1": "2", "keep": "", "change": ""}
    refused = client.post(f"/events/{event.slug}/debrief", data=form)
    assert refused.status_code == 400
    assert "a modifié les questions" in refused.text
    assert db.session.scalar(select(func.count(DebriefAnswer.id))) == 0
    fresh = refused.text.split('name="parts_digest" type="hidden" value="')[1].split('"')[0]
    form |= {"parts_digest": fresh}
    assert client.post(f"/events/{event.slug}/debrief", data=form).status_code == 303
    assert db.session.scalar(select(DebriefAnswer.scores)) == {"Repas": 5, "Accueil": 2}
