"""Printable documents for organisers: challenge sheets on A4 and attendees' badges."""

import re

import pytest
import segno
from sqlalchemy import func, select

from facilitate.auth.codes import format_access_code
from facilitate.auth.services import sign_in_url
from facilitate.extensions import db
from facilitate.models import AuditEntry, Membership, Role, User
from facilitate.people.attendance import join_event
from facilitate.people.codes import team_label
from facilitate.printing.batches import BADGES_PER_BATCH
from facilitate.printing.services import QR_MASK
from tests import factories
from tests.factories import code_of


def sign_in(client, user):
    response = client.post(
        "/sign-in/password", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 303


@pytest.fixture
def organiser_client(client, make):
    """A client signed in as an organiser of ``client.event``, an event with three challenges."""
    event = make.event(challenges=3, themes=2)
    sign_in(client, make.organiser(event))
    client.event = event
    return client


def badges_of(page: str) -> list[str]:
    return page.split('<li class="badge">')[1:]


def qr_path(url: str) -> str:
    """The drawing segno makes of this link, as the badge must carry it."""
    svg = segno.make(url, error="m", micro=False, mask=QR_MASK).svg_inline(scale=1)
    return re.search(r' d="([^"]+)"', svg).group(1)


def expected_sign_in_url(app, user) -> str:
    with app.test_request_context():
        return sign_in_url(code_of(user))


def add_participants(event, count: int, teams=()) -> list[User]:
    """Many participants at once, in two flushes (the factories flush per person)."""
    people = [User(name=f"Attendee {i:04d}") for i in range(count)]
    db.session.add_all(people)
    db.session.flush()
    memberships = [join_event(event, p, p.name, f"Organisation {i}") for i, p in enumerate(people)]
    if teams:
        memberships += [
            Membership(user=p, event=event, team=teams[i % len(teams)], role=Role.MEMBER)
            for i, p in enumerate(people)
        ]
    db.session.add_all(memberships)
    db.session.flush()
    return people


# --- Who may print ----------------------------------------------------------------------------

PRINT_PAGES = [
    ("get", "/events/{slug}/challenges/print"),
    ("get", "/events/{slug}/challenges/1/print"),
    ("get", "/events/{slug}/badges"),
    ("post", "/events/{slug}/badges/issue-missing-codes"),
    ("post", "/events/{slug}/badges/printed"),
]


@pytest.mark.parametrize(("method", "url"), PRINT_PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, make, method, url):
    event = make.event(challenges=1)
    response = getattr(client, method)(url.format(slug=event.slug))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize(("method", "url"), PRINT_PAGES)
def test_participants_may_not_print(client, make, method, url):
    event = make.event(challenges=1)
    person = make.participant(event, team=event.challenges[0].team)
    client.post("/sign-in/code", data={"code": code_of(person)})
    assert getattr(client, method)(url.format(slug=event.slug)).status_code == 403


@pytest.mark.parametrize(("method", "url"), PRINT_PAGES)
def test_organisers_of_another_event_may_not_print(client, make, method, url):
    event, other = make.event(challenges=1), make.event(challenges=1)
    sign_in(client, make.organiser(other))
    assert getattr(client, method)(url.format(slug=event.slug)).status_code == 403


@pytest.mark.parametrize(("method", "url"), PRINT_PAGES)
def test_unknown_events_are_not_found(organiser_client, method, url):
    response = getattr(organiser_client, method)(url.format(slug="no-such-event"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url", ["/events/{slug}/challenges/99/print", "/events/{slug}/challenges/0/print"]
)
def test_unknown_challenges_are_not_found(organiser_client, url):
    slug = organiser_client.event.slug
    assert organiser_client.get(url.format(slug=slug)).status_code == 404


def test_another_events_organiser_is_refused_even_with_a_valid_session_on_both(client, make):
    """Organising one event gives nothing on another, even for an account that may create
    events."""
    mine, theirs = make.event(challenges=1), make.event(challenges=1)
    sign_in(client, make.organiser(mine))
    make.participant(theirs)
    assert client.get(f"/events/{mine.slug}/badges").status_code == 200
    assert client.get(f"/events/{theirs.slug}/badges").status_code == 403


# --- Challenge sheets -------------------------------------------------------------------------

GLACIERE = dict(
    number=1,
    question="Comment définir les critères de durabilité d’un projet complexe ?",
    owner_organisation="Commune d’Etel",
    project_name="La Glacière",
    territory="Etel",
    stakes="Définir des critères pour évaluer la reconversion.",
    stakeholders=["Association Autrefois Etel", "La commune", "L’intercommunalité"],
    users=["Habitants", "Visiteurs"],
    obstacles=["Peu d’intérêt des partenaires institutionnels"],
    levers=["Le projet municipal « préserver l’authenticité du lieu »"],
    info_url="https://example.org/defis/glaciere",
)


def test_all_sheets_show_every_challenge_in_order_one_page_each(client, make):
    event = make.event(name="Université de Rennes 2018", themes=1)
    make.challenge(event, theme=event.themes[0], **GLACIERE)
    make.challenge(event, number=2, question="Comment accompagner le sanatorium ?")
    make.challenge(event, number=3, question="Comment accueillir ?", owner_organisation="Dreux")
    sign_in(client, make.organiser(event))

    page = client.get(f"/events/{event.slug}/challenges/print").text

    assert page.count('<article class="print-sheet"') == 3
    assert page.count("Université de Rennes 2018") >= 3  # on every sheet
    sheets = page.split('<article class="print-sheet"')[1:]
    for number, sheet in enumerate(sheets, start=1):
        assert f'id="sheet-{number}"' in sheet
    first = sheets[0]
    for text in (
        "Comment définir les critères de durabilité d’un projet complexe ?",
        "Commune d’Etel",
        "La Glacière",
        "Etel",
        "Définir des critères pour évaluer la reconversion.",
        "Habitants",
        "Visiteurs",
        "Peu d’intérêt des partenaires institutionnels",
        "Le projet municipal « préserver l’authenticité du lieu »",
        # The theme is written out, not only coloured; the link's address is printed as text.
        "Theme 1",
        ">https://example.org/defis/glaciere</a>",
    ):
        assert text in first, text
    assert (
        first.index("Association Autrefois Etel")
        < first.index("La commune")
        < first.index("L’intercommunalité")
    )
    assert "<li>Habitants</li>" in first
    # Partial sheets print what there is, and nothing of another challenge.
    assert "Comment accompagner le sanatorium ?" in sheets[1]
    assert "Association Autrefois Etel" not in sheets[1]
    assert "Dreux" in sheets[2]


def test_sheets_carry_their_print_stylesheet_button_and_way_back(organiser_client):
    slug = organiser_client.event.slug
    page = organiser_client.get(f"/events/{slug}/challenges/print").text
    assert "/static/css/print-sheets.css" in page
    assert re.search(r'<script src="/static/js/print\.js[^"]*" defer></script>', page)
    assert re.search(r'<button type="button" class="button" data-print hidden>', page)
    assert f'href="/events/{slug}"' in page
    assert "onclick" not in page


def test_one_sheet_prints_only_that_challenge_with_its_question_as_title(client, make):
    event = make.event()
    make.challenge(event, **GLACIERE)
    make.challenge(event, number=2, question="Comment voter ?")
    sign_in(client, make.organiser(event))

    page = client.get(f"/events/{event.slug}/challenges/1/print").text

    assert page.count('<article class="print-sheet"') == 1
    assert re.search(r'<h1 class="print-sheet__title" id="sheet-1">', page)
    assert "La Glacière" in page and "Comment voter ?" not in page
    assert f'href="/events/{event.slug}/challenges/1"' in page  # back to the challenge


def test_unsafe_info_links_are_not_printed(client, make):
    event = make.event()
    make.challenge(event, number=1, info_url="javascript:alert(1)")
    sign_in(client, make.organiser(event))
    for url in ("/challenges/print", "/challenges/1/print"):
        assert "javascript:" not in client.get(f"/events/{event.slug}{url}").text


@pytest.mark.parametrize("count", [14, 200])
def test_all_sheets_run_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=count, themes=4)
    url = f"/events/{event.slug}/challenges/print"
    sign_in(client, make.organiser(event))
    with count_queries() as queries:
        response = client.get(url)
    assert response.text.count('<article class="print-sheet"') == count
    # The session's user, their roles at the event, the event, the challenges with their themes.
    assert len(queries) == 4, queries


# --- Badges -----------------------------------------------------------------------------------


def test_badges_show_each_participant_with_their_team_code_and_qr_code(app, client, make):
    event = make.event(name="Université de Rennes", challenges=2)
    named, unnamed = event.challenges[0].team, event.challenges[1].team
    named.name = "Les Glaciers"
    alice = make.participant(event, team=named, name="Alice Martin", organisation="Ville d'Etel")
    bruno = make.participant(event, team=unnamed, name="Bruno Diallo", organisation="CD 35")
    chloe = make.participant(event, name="Chloé Roux")  # not yet in a team
    sign_in(client, make.organiser(event, name="Zoé Organiser"))

    page = client.get(f"/events/{event.slug}/badges").text
    badges = badges_of(page)

    assert len(badges) == 3  # organisers are not participants: no badge
    with app.test_request_context():
        unnamed_label = team_label(None, 2)
    expected = [  # by surname: Diallo, Martin, Roux
        (bruno, "CD 35", unnamed_label, 2),
        (alice, "Ville d&#39;Etel", "Les Glaciers", 1),
        (chloe, None, None, None),
    ]
    for badge, (person, organisation, team, number) in zip(badges, expected, strict=True):
        assert f">{person.name}</h2>" in badge
        if organisation:
            assert f'<p class="badge__organisation">{organisation}</p>' in badge
        if team:
            assert f'<p class="badge__team">{team}</p>' in badge
            assert re.search(rf'<p class="badge__challenge">[^<]*\b{number}</p>', badge)
        else:
            assert "badge__team" not in badge and "badge__challenge" not in badge
        assert format_access_code(code_of(person)) in badge
        assert badge.count("<svg") == 1
        assert '<svg role="img" aria-label="' in badge
        assert f'd="{qr_path(expected_sign_in_url(app, person))}"' in badge
        assert person.name in re.search(r'aria-label="([^"]+)"', badge).group(1)
    # The code is the secret: it is on the badge, never in the page's other parts.
    assert page.count(format_access_code(code_of(alice))) == 1


def test_badges_of_one_team(client, make):
    event = make.event(challenges=2)
    first, second = event.challenges[0].team, event.challenges[1].team
    ana = make.participant(event, team=first, name="Ana")
    ben = make.participant(event, team=second, name="Ben")
    make.participant(event, name="Cyd")
    sign_in(client, make.organiser(event))

    page = client.get(f"/events/{event.slug}/badges?team={second.id}").text

    assert len(badges_of(page)) == 1
    assert ">Ben</h2>" in page and ">Ana</h2>" not in page and ">Cyd</h2>" not in page
    assert format_access_code(code_of(ben)) in page
    assert format_access_code(code_of(ana)) not in page
    assert f'<option value="{second.id}" selected>' in page


@pytest.mark.parametrize("team", ["999999", "abc", "other-event"])
def test_badges_of_an_unknown_team_are_not_found(client, make, team):
    event, other = make.event(challenges=1), make.event(challenges=1)
    if team == "other-event":
        team = str(other.challenges[0].team.id)
    sign_in(client, make.organiser(event))
    assert client.get(f"/events/{event.slug}/badges?team={team}").status_code == 404


def test_badges_page_lays_out_ten_badges_per_printed_page(client, make):
    event = make.event()
    add_participants(event, 23)
    sign_in(client, make.organiser(event))
    page = client.get(f"/events/{event.slug}/badges").text
    pages = page.split('<ul class="badge-page">')[1:]
    assert [len(badges_of(p)) for p in pages] == [10, 10, 3]
    assert "/static/css/badges.css" in page and "/static/js/print.js" in page


def test_people_without_a_code_get_no_badge_and_a_button_to_issue_codes(client, make):
    event = make.event()
    with_code = make.participant(event, name="Has Code")
    without = [make.participant(event, name=f"No Code {i}") for i in range(2)]
    for person in without:
        make.attendance(person).access_code = None
    db.session.flush()
    sign_in(client, make.organiser(event))

    page = client.get(f"/events/{event.slug}/badges").text

    assert len(badges_of(page)) == 1 and ">Has Code</h2>" in page
    assert "No Code" not in page
    assert re.search(r"<p>\s*2 [^<]*</p>", page)  # the count of people left without a code
    assert f'action="/events/{event.slug}/badges/issue-missing-codes"' in page
    assert code_of(with_code)


def test_showing_badges_changes_nothing(client, make):
    event = make.event(challenges=1)
    kept = make.participant(event, team=event.challenges[0].team)
    missing = make.participant(event)
    make.attendance(missing).access_code = None
    db.session.flush()
    code, nonce, missing_nonce = (
        code_of(kept),
        make.attendance(kept).code_nonce,
        make.attendance(missing).code_nonce,
    )
    sign_in(client, make.organiser(event))

    for url in ("/badges", "/challenges/print", "/challenges/1/print"):
        assert client.get(f"/events/{event.slug}{url}").status_code == 200

    assert (code_of(kept), make.attendance(kept).code_nonce) == (code, nonce)
    assert (code_of(missing), make.attendance(missing).code_nonce) == (None, missing_nonce)
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_issuing_missing_codes_keeps_printed_codes_valid(client, make):
    event, other = make.event(challenges=1), make.event()
    kept = make.participant(event, team=event.challenges[0].team)
    missing = [make.participant(event) for _ in range(3)]
    elsewhere = make.participant(other)
    for person in [*missing, elsewhere]:
        make.attendance(person).access_code = None
    db.session.flush()
    kept_code, kept_nonce = code_of(kept), make.attendance(kept).code_nonce
    organiser = make.organiser(event)
    sign_in(client, organiser)

    response = client.post(f"/events/{event.slug}/badges/issue-missing-codes")

    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}/badges"
    assert (code_of(kept), make.attendance(kept).code_nonce) == (kept_code, kept_nonce)
    codes = [code_of(person) for person in missing]
    assert all(codes) and len(set(codes)) == 3
    assert code_of(elsewhere) is None  # another event's people are not touched
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.event_id == event.id))
    assert (entry.action, entry.details, entry.actor_id) == (
        "codes.issued",
        {"count": 3},
        organiser.id,
    )
    page = client.get(response.headers["Location"]).text
    assert 'class="flash flash--success"' in page
    assert len(badges_of(page)) == 4
    assert "issue-missing-codes" not in page  # nobody is left without a code

    # Again: nothing left to issue, no change, no new history entry.
    client.post(f"/events/{event.slug}/badges/issue-missing-codes")
    assert [code_of(person) for person in missing] == codes
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_issuing_codes_returns_to_the_team_being_printed(organiser_client):
    event = organiser_client.event
    team = event.challenges[0].team
    response = organiser_client.post(
        f"/events/{event.slug}/badges/issue-missing-codes?team={team.id}"
    )
    assert response.headers["Location"] == f"/events/{event.slug}/badges?team={team.id}"


def test_issuing_codes_needs_the_forms_csrf_token(app, client, make, monkeypatch):
    event = make.event()
    missing = make.participant(event)
    make.attendance(missing).access_code = None
    db.session.flush()
    sign_in(client, make.organiser(event))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    assert client.post(f"/events/{event.slug}/badges/issue-missing-codes").status_code == 400
    assert code_of(missing) is None


@pytest.mark.parametrize("count", [10, 250])
def test_badges_run_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=14)
    add_participants(event, count, teams=[c.team for c in event.challenges])
    url = f"/events/{event.slug}/badges"
    sign_in(client, make.organiser(event))
    with count_queries() as queries:
        response = client.get(url)
    shown = min(count, BADGES_PER_BATCH)  # the first batch (see test_printing_batches.py)
    assert len(badges_of(response.text)) == shown
    assert response.text.count("<svg") == shown
    # The session's user, their roles, the event, the teams to choose from, the participants
    # and their teams (two simple queries: see participants_with_teams).
    assert len(queries) == 6, queries


def test_names_are_escaped_on_badges_and_in_the_qr_codes_label(client, make):
    event = make.event()
    make.participant(event, name='Zoé "<b>" O\'Hara', organisation="<i>Agence</i>")
    sign_in(client, make.organiser(event))
    page = client.get(f"/events/{event.slug}/badges").text
    assert "<b>" not in page and "<i>" not in page
    label = re.search(r'<svg role="img" aria-label="([^"]*)"', page).group(1)
    assert "Zoé &#34;&lt;b&gt;&#34; O&#39;Hara" in label  # the attribute is not broken out of
    title = re.search(r"<title>([^<]*)</title>", badges_of(page)[0]).group(1)
    assert 'Zoé "&lt;b&gt;" O\'Hara' in title


def _roles_event(make):
    event = make.event(challenges=2)
    one, two = (c.team for c in event.challenges)
    make.participant(event, team=one, name="Alice Membre")
    facilitator = make.participant(event, name="Bruno Animateur")
    db.session.add(Membership(user=facilitator, event=event, team=two, role=Role.FACILITATOR))
    owner = make.participant(event, name="Chloé Porteuse")
    db.session.add(Membership(user=owner, event=event, team=one, role=Role.CHALLENGE_OWNER))
    organiser = make.organiser(event, name="Denise Organisatrice")
    make.join(event, organiser)
    db.session.flush()
    return event, organiser


def test_badges_show_each_persons_role_and_team_and_filter_by_role(client, make):
    event, organiser = _roles_event(make)
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/badges").text
    badges = {re.search(r"badge__name[^>]*>([^<]+)<", b).group(1): b for b in badges_of(page)}
    assert "badge__role" not in badges["Alice Membre"]
    assert "Équipe du défi 1" in badges["Alice Membre"]
    assert '<p class="badge__role">Animateur ou animatrice</p>' in badges["Bruno Animateur"]
    assert "Équipe du défi 2" in badges["Bruno Animateur"]
    assert '<p class="badge__role">Porteur ou porteuse du défi</p>' in badges["Chloé Porteuse"]
    assert "Équipe du défi 1" in badges["Chloé Porteuse"]
    assert "Organisateur ou organisatrice" in badges["Denise Organisatrice"]

    for role, names in (
        ("facilitator", ["Bruno Animateur"]),
        ("challenge_owner", ["Chloé Porteuse"]),
        ("organiser", ["Denise Organisatrice"]),
        ("member", ["Alice Membre"]),
    ):
        page = client.get(f"/events/{event.slug}/badges?role={role}").text
        assert [
            re.search(r"badge__name[^>]*>([^<]+)<", b).group(1) for b in badges_of(page)
        ] == names
        assert f'<option value="{role}" selected>' in page
    assert client.get(f"/events/{event.slug}/badges?role=admin").status_code == 404


def test_the_codes_list_shows_roles_and_teams_of_facilitators_and_owners(client, make):
    event, organiser = _roles_event(make)
    sign_in(client, organiser)
    text = client.get(f"/events/{event.slug}/people/access-codes.csv").text.lstrip("\ufeff")
    rows = {row.split(";")[0]: row.split(";")[3:5] for row in text.splitlines()[1:]}
    assert rows == {
        "Alice Membre": ["", "Équipe du défi 1"],
        "Bruno Animateur": ["Animateur ou animatrice", "Équipe du défi 2"],
        "Chloé Porteuse": ["Porteur ou porteuse du défi", "Équipe du défi 1"],
        "Denise Organisatrice": ["Organisateur ou organisatrice", ""],
    }


def test_qr_codes_are_drawn_once_and_again_only_for_a_renewed_code(client, make, monkeypatch):
    """Printing badges again reuses each drawing; a renewed code is a new link, a new drawing."""
    from facilitate.auth.services import issue_access_code
    from facilitate.printing import services

    drawn = []
    make_code = segno.make

    def counting_make(content, **options):
        drawn.append(content)
        return make_code(content, **options)

    monkeypatch.setattr(services.segno, "make", counting_make)
    services._drawn_qr_code.cache_clear()
    event = make.event()
    alice = make.participant(event, name="Alice Martin")
    make.participant(event, name="Bruno Diallo")
    sign_in(client, make.organiser(event))

    first = client.get(f"/events/{event.slug}/badges").text
    assert len(drawn) == 2
    assert badges_of(client.get(f"/events/{event.slug}/badges").text) == badges_of(first)
    assert len(drawn) == 2  # nothing drawn again

    attendance = db.session.scalar(
        select(Membership).where(Membership.user_id == alice.id, Membership.event_id == event.id)
    )
    old_code = code_of(alice)
    issue_access_code(attendance)
    db.session.flush()
    renewed = client.get(f"/events/{event.slug}/badges").text
    assert len(drawn) == 3  # only Alice's new link
    assert format_access_code(code_of(alice)) in renewed
    assert format_access_code(old_code) not in renewed


def test_a_person_with_roles_in_several_teams_has_each_on_the_badge_and_codes_list(client, make):
    """An owner of two challenges who also facilitates a third team, and organises: every part
    is named with its team, and the badge is printed under each role and each team."""
    event = make.event(challenges=3)
    one, two, three = (c.team for c in event.challenges)
    many = make.participant(event, name="Hélène Plusieurs")
    db.session.add_all(
        [
            Membership(user=many, event=event, team=three, role=Role.FACILITATOR),
            Membership(user=many, event=event, team=one, role=Role.CHALLENGE_OWNER),
            Membership(user=many, event=event, team=two, role=Role.CHALLENGE_OWNER),
            Membership(user=many, event=event, role=Role.ORGANISER),
        ]
    )
    make.participant(event, team=one, name="Alice Membre")
    organiser = make.organiser(event)
    db.session.flush()
    sign_in(client, organiser)

    page = client.get(f"/events/{event.slug}/badges").text
    badge = next(b for b in badges_of(page) if "Hélène Plusieurs" in b)
    role = re.search(r'<p class="badge__role">([^<]+)</p>', badge).group(1)
    assert role == (
        "Animateur ou animatrice (Équipe du défi 3), "
        "porteur ou porteuse du défi (Équipe du défi 1), "
        "porteur ou porteuse du défi (Équipe du défi 2), "
        "organisateur ou organisatrice"
    )
    assert "badge__team" not in badge  # the teams are named with each role
    for query in (
        f"team={one.id}",
        f"team={two.id}",
        f"team={three.id}",
        "role=facilitator",
        "role=challenge_owner",
        "role=organiser",
    ):
        names = badges_of(client.get(f"/events/{event.slug}/badges?{query}").text)
        assert any("Hélène Plusieurs" in b for b in names), query
    member_badges = badges_of(client.get(f"/events/{event.slug}/badges?role=member").text)
    assert not any("Hélène Plusieurs" in b for b in member_badges)

    text = client.get(f"/events/{event.slug}/people/access-codes.csv").text.lstrip("\ufeff")
    row = next(r.split(";") for r in text.splitlines() if r.startswith("Hélène Plusieurs"))
    assert row[3] == role
    assert row[4:6] == ["", "1, 2, 3"]
