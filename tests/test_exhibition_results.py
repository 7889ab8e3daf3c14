"""The vote's results as people see them: ranks with ties (1, 1, 3) overall and within each
theme, hidden from participants until revealed, the reveal screen from the last place to the
first, and the results and feedback exports read back from CSV and XLSX."""

import csv
import html
import io
import re
from datetime import datetime

import openpyxl
import pytest

from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import FeedbackEntry, VoteStatus
from tests.factories import sign_in

EN = {"Accept-Language": "en"}
NAMES = ["Les Glaciers", "Cantine facile", "Tiers-lieu vivant", "Mobilités douces", "Ria propre"]


@pytest.fixture
def vote(make):
    """Five teams, two themes, three ballots. Votes: team 1: 3, team 2: 3, team 3: 1, team 4: 0,
    team 5: 1. Overall ranks 1, 1, 3, 5, 3. "Theme 1" holds teams 2 and 4; "Theme 2" teams 1, 3
    and 5 (ranks 1, 2, 2). Stand numbers are 11 to 15, except team 4, which has none."""
    event = make.event(
        challenges=5, themes=2, vote_status=VoteStatus.OPEN, timezone="Indian/Reunion"
    )
    teams = [c.team for c in event.challenges]
    for number, (team, name) in enumerate(zip(teams, NAMES, strict=True), start=1):
        team.name = name
        team.stand_number = None if number == 4 else 10 + number
    db.session.flush()
    t = [team.id for team in teams]
    for wanted in ([t[0], t[1], t[2]], [t[0], t[1], t[4]], [t[0], t[1]]):
        person = make.participant(event)
        ballots.replace_ballot(event, ballots.voter(event, person), wanted)
    event.vote_status = VoteStatus.CLOSED
    db.session.commit()
    return event, teams


def _reveal(event):
    event.vote_status = VoteStatus.REVEALED
    db.session.commit()


def _as(client, make, event, role="organiser"):
    person = make.organiser(event) if role == "organiser" else make.participant(event)
    db.session.commit()
    sign_in(client, person)
    return person


def _table_rows(page: str, table_id: str) -> list[tuple[str, str, str]]:
    """(rank, stand, team) for each row of one ranking table."""
    table = page[page.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return [
        (html.unescape(rank), stand.strip(), html.unescape(team))
        for rank, stand, team in re.findall(
            r'<td class="ranking__rank"[^>]*>([^<]*)</td>\s*<td[^>]*>(.*?)</td>\s*'
            r'<th scope="row"[^>]*>([^<]*)</th>',
            table,
            flags=re.S,
        )
    ]


NO_STAND = '<span class="notice">No stand</span>'


def test_ranks_share_a_place_on_a_tie_and_skip_the_next_overall_and_within_themes(
    client, make, vote
):
    event, _teams = vote
    _as(client, make, event)
    page = client.get(f"/events/{event.slug}/results", headers=EN).text
    assert _table_rows(page, "ranking-overall") == [
        ("1st (tied)", "11", "Les Glaciers"),
        ("1st (tied)", "12", "Cantine facile"),
        ("3rd (tied)", "13", "Tiers-lieu vivant"),
        ("3rd (tied)", "15", "Ria propre"),
        ("5th", NO_STAND, "Mobilités douces"),
    ]
    assert _table_rows(page, "ranking-theme-1") == [
        ("1st", "12", "Cantine facile"),
        ("2nd", NO_STAND, "Mobilités douces"),
    ]
    assert _table_rows(page, "ranking-theme-2") == [
        ("1st", "11", "Les Glaciers"),
        ("2nd (tied)", "13", "Tiers-lieu vivant"),
        ("2nd (tied)", "15", "Ria propre"),
    ]
    assert "Stands with the same number of votes share a rank" in page
    assert "3 ballots cast." in page


def test_ranks_read_as_french_ordinals(client, make, vote):
    event, _teams = vote
    _as(client, make, event)
    page = client.get(f"/events/{event.slug}/results").text
    ranks = [rank for rank, _stand, _team in _table_rows(page, "ranking-overall")]
    assert ranks == ["1er ex æquo", "1er ex æquo", "3e ex æquo", "3e ex æquo", "5e"]
    assert "3 bulletins déposés." in page
    assert "partagent le même rang" in page


@pytest.mark.parametrize("path", ["organise/vote", "results", "reveal"])
def test_organisers_are_warned_until_the_results_are_revealed(client, make, vote, path):
    event, _teams = vote
    _as(client, make, event)
    for status in (VoteStatus.NOT_STARTED, VoteStatus.OPEN, VoteStatus.CLOSED):
        event.vote_status = status
        db.session.commit()
        page = html.unescape(client.get(f"/events/{event.slug}/{path}", headers=EN).text)
        if path == "reveal":
            assert "Rehearsal: the results are not revealed yet." in page
            assert "avoid showing this screen in the room" in page
        else:
            assert "Participants cannot see these results yet: avoid showing this screen." in page
        assert ("the numbers still change" in page) == (status == VoteStatus.OPEN)
        assert "Les Glaciers" in page
    _reveal(event)
    page = client.get(f"/events/{event.slug}/{path}", headers=EN).text
    assert "Rehearsal" not in page and "cannot see these results yet" not in page


def test_participants_see_only_the_number_of_ballots_until_the_reveal(client, make, vote):
    event, _teams = vote
    _as(client, make, event, role="participant")
    for status in (VoteStatus.NOT_STARTED, VoteStatus.OPEN, VoteStatus.CLOSED):
        event.vote_status = status
        db.session.commit()
        response = client.get(f"/events/{event.slug}/results", headers=EN)
        assert response.status_code == 200
        assert "3 ballots cast so far." in response.text
        assert "The organisers will reveal the results" in response.text
        assert not any(name in response.text for name in NAMES)
        assert "ranking" not in response.text
    _reveal(event)
    response = client.get(f"/events/{event.slug}/results", headers=EN)
    assert response.status_code == 200
    assert _table_rows(response.text, "ranking-overall")[0] == ("1st (tied)", "11", "Les Glaciers")
    assert "warning" not in response.text and "Run the vote" not in response.text


def test_the_results_page_is_for_the_event_s_people(client, make, vote):
    event, _teams = vote
    _reveal(event)
    response = client.get(f"/events/{event.slug}/results")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    stranger = make.participant(make.event())
    db.session.commit()
    sign_in(client, stranger)
    assert client.get(f"/events/{event.slug}/results").status_code == 403
    assert client.get("/events/no-such-event/results").status_code == 404


def test_the_reveal_screen_is_for_organisers_even_after_the_reveal(client, make, vote):
    event, _teams = vote
    _reveal(event)
    _as(client, make, event, role="participant")
    assert client.get(f"/events/{event.slug}/reveal").status_code == 403


def _steps(page: str) -> list[tuple[str, str]]:
    """(rank, what is announced) for each step of the reveal screen, in page order."""
    return [
        (rank, html.unescape(said))
        for rank, said in re.findall(
            r'data-reveal-step data-rank="(\d+)"\s+data-announce="([^"]*)"', page
        )
    ]


def test_the_reveal_screen_goes_from_the_last_place_to_the_first_overall_then_by_theme(
    client, make, vote
):
    event, _teams = vote
    _reveal(event)
    _as(client, make, event)
    page = client.get(f"/events/{event.slug}/reveal", headers=EN).text
    assert _steps(page) == [
        ("5", "5th, 0 votes: Mobilités douces"),
        ("3", "3rd (tied), 1 vote: Tiers-lieu vivant (stand 13), Ria propre (stand 15)"),
        ("1", "1st (tied), 3 votes: Les Glaciers (stand 11), Cantine facile (stand 12)"),
        ("2", "Theme “Theme 1”: 2nd, 0 votes: Mobilités douces"),
        ("1", "Theme “Theme 1”: 1st, 3 votes: Cantine facile (stand 12)"),
        (
            "2",
            "Theme “Theme 2”: 2nd (tied), 1 vote: Tiers-lieu vivant (stand 13), Ria propre (stand 15)",
        ),
        ("1", "Theme “Theme 2”: 1st, 3 votes: Les Glaciers (stand 11)"),
    ]
    assert "Stands with the same number of votes share a rank." in page
    assert "3 ballots cast" in page
    # The controls wait for the script; the live region is there for it to speak in.
    assert '<div class="reveal__controls" id="reveal-controls" hidden>' in page
    assert '<button type="button" class="button reveal__next" id="reveal-next"' in page
    assert 'id="reveal-live" aria-live="polite"' in page
    assert "Rehearsal" not in page


def test_the_reveal_screen_speaks_french(client, make, vote):
    event, _teams = vote
    _reveal(event)
    _as(client, make, event)
    page = client.get(f"/events/{event.slug}/reveal").text
    assert _steps(page)[1] == (
        "3",
        "3e ex æquo, 1 voix\u00a0: Tiers-lieu vivant (stand 13), Ria propre (stand 15)",
    )
    assert "Afficher la place suivante" in page


def test_an_event_without_teams_or_themes_has_an_empty_ranking(client, make):
    event = make.event(vote_status=VoteStatus.REVEALED)
    _as(client, make, event)
    for path in ("organise/vote", "results", "reveal"):
        response = client.get(f"/events/{event.slug}/{path}", headers=EN)
        assert response.status_code == 200
        assert "No team here yet." in response.text
        assert "Ranking within each theme" not in response.text


# --- Exports -------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.data.startswith(b"\xef\xbb\xbf")  # French Excel reads UTF-8 with a BOM
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(response) -> list[list]:
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)], sheet.title


def test_results_export_reads_back_from_csv_and_xlsx(client, make, vote):
    event, _teams = vote
    _as(client, make, event)
    base = f"/events/{event.slug}/organise/vote"
    response = client.get(f"{base}/results.csv")
    assert response.status_code == 200
    assert f'filename="{event.slug}-resultats-vote.csv"' in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == ["Rang", "Stand", "Équipe", "Défi", "Thème", "Rang dans le thème", "Voix"]
    assert rows[1:] == [
        ["1", "11", "Les Glaciers", "1", "Theme 2", "1", "3"],
        ["1", "12", "Cantine facile", "2", "Theme 1", "1", "3"],
        ["3", "13", "Tiers-lieu vivant", "3", "Theme 2", "2", "1"],
        ["3", "15", "Ria propre", "5", "Theme 2", "2", "1"],
        ["5", "", "Mobilités douces", "4", "Theme 1", "2", "0"],
    ]
    rows, title = _xlsx_rows(client.get(f"{base}/results.xlsx", headers=EN))
    assert title == "Vote results"
    assert rows[0] == ["Rank", "Stand", "Team", "Challenge", "Theme", "Rank in the theme", "Votes"]
    assert rows[1] == [1, 11, "Les Glaciers", 1, "Theme 2", 1, 3]
    assert rows[5] == [5, None, "Mobilités douces", 4, "Theme 1", 2, 0]


def test_feedback_export_holds_every_entry_in_the_venue_s_time_and_no_formula(client, make, vote):
    event, teams = vote
    visitor = make.participant(event, name="Camille Le Goff")
    db.session.add_all(
        [
            FeedbackEntry(
                team_id=teams[1].id,
                author_id=visitor.id,
                at_exhibition=True,
                liked="Le formulaire tient sur un écran ; bravo",
                could_be_better='=HYPERLINK("http://exemple.test")',
                question="Et pour les familles sans téléphone ?",
                created_at=datetime(2018, 7, 11, 12, 5, 30),  # UTC: 16:05 in La Réunion
            ),
            FeedbackEntry(
                team_id=teams[0].id,
                author_id=None,  # an account since deleted
                body="Test en mairie : 5 personnes sur 6 ont compris le parcours.",
                created_at=datetime(2018, 7, 10, 8, 0),
            ),
        ]
    )
    db.session.commit()
    _as(client, make, event)
    base = f"/events/{event.slug}/organise/vote"
    rows = _csv_rows(client.get(f"{base}/feedback.csv"))
    assert rows[0] == [
        "Stand",
        "Équipe",
        "Défi",
        "À l’exposition",
        "Ce que j’ai aimé",
        "À améliorer",
        "Question",
        "Note",
        "Rédigé par",
        "Date (heure de La Réunion, UTC+4)",
    ]
    assert rows[1:] == [
        [
            "11",
            "Les Glaciers",
            "1",
            "Non",
            "",
            "",
            "",
            "Test en mairie : 5 personnes sur 6 ont compris le parcours.",
            "",
            "2018-07-10 12:00:00",
        ],
        [
            "12",
            "Cantine facile",
            "2",
            "Oui",
            "Le formulaire tient sur un écran ; bravo",
            '\'=HYPERLINK("http://exemple.test")',
            "Et pour les familles sans téléphone ?",
            "",
            "Camille Le Goff",
            "2018-07-11 16:05:30",
        ],
    ]
    rows, title = _xlsx_rows(client.get(f"{base}/feedback.xlsx", headers=EN))
    assert title == "Stand feedback"
    assert rows[0][3] == "At the exhibition" and rows[0][9] == "Date (La Réunion time, UTC+4)"
    # A text cell, typed: Excel shows the text, never runs it; no leading quote needed.
    assert rows[2][3] == "Yes" and rows[2][5] == '=HYPERLINK("http://exemple.test")'
    assert rows[2][9] == datetime(2018, 7, 11, 16, 5, 30)


@pytest.mark.parametrize("name", ["results", "feedback"])
@pytest.mark.parametrize("fmt", ["pdf", "CSV", "xls", "csv.exe"])
def test_only_csv_and_xlsx_are_offered(client, make, vote, name, fmt):
    event, _teams = vote
    _as(client, make, event)
    assert client.get(f"/events/{event.slug}/organise/vote/{name}.{fmt}").status_code == 404


def test_the_feedback_export_is_one_query_whatever_the_number_of_entries(
    client, make, count_queries
):
    counts = []
    for entries in (0, 50):
        event = make.event(challenges=5)
        for n in range(entries):
            db.session.add(
                FeedbackEntry(
                    team_id=event.challenges[n % 5].team.id, at_exhibition=True, liked=f"Idée {n}"
                )
            )
        organiser = _as(client, make, event)
        assert organiser
        with count_queries() as queries:
            response = client.get(f"/events/{event.slug}/organise/vote/feedback.csv")
        assert len(_csv_rows(response)) == entries + 1
        counts.append(len(queries))
    assert counts[0] == counts[1]
