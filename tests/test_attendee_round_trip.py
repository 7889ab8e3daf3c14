"""The attendee list survives its own round trip: roles, teams and people without an email come
back as they were, each row is found again (by identifier, email, or name and organisation) and
the preview says, field by field, what an edited file changes."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Membership, Role, User
from facilitate.people.spreadsheet import (
    attendee_table,
    check_attendee_file,
    describe_attendee_import,
    import_attendees,
)
from facilitate.spreadsheets.writing import write_csv, write_xlsx
from tests.factories import attendance


def _roles(event) -> dict[str, tuple]:
    """Each attendee's name -> (email, organisation, team role, challenge number, organiser)."""
    db.session.expire_all()
    _headers, rows = attendee_table(event)
    return {row[1]: (row[2], row[3], row[4], row[5]) for row in rows}


def _edition(make):
    event = make.event(challenges=3)
    one, two, three = (c.team for c in event.challenges)
    make.participant(event, team=one, name="Chloé Martin", organisation="Ville de Rennes")
    facilitator = make.participant(event, name="Éric Le Gall", email=None, organisation="CD35")
    db.session.add(Membership(user=facilitator, event=event, team=two, role=Role.FACILITATOR))
    owner = make.participant(event, name="Zoë N’Diaye", organisation="CCAS de Brest")
    db.session.add(Membership(user=owner, event=event, team=three, role=Role.CHALLENGE_OWNER))
    organiser = make.organiser(event, name="Ève Durand")
    make.join(event, organiser, organisation="Rennes Métropole")
    make.participant(event, name="Sans Équipe", email=None, organisation=None)
    db.session.flush()
    return event


def _export(event, kind="xlsx", language="fr"):
    with force_locale(language):
        headers, rows = attendee_table(event)
    if kind == "csv":
        return write_csv(headers, rows), "participants.csv"
    return write_xlsx(headers, rows, "Participants"), "participants.xlsx"


def test_the_export_names_roles_and_teams_and_people_without_email(make):
    event = _edition(make)
    assert _roles(event) == {
        "Chloé Martin": (_roles(event)["Chloé Martin"][0], "Ville de Rennes", "membre", 1),
        "Éric Le Gall": (None, "CD35", "animateur ou animatrice", 2),
        "Zoë N’Diaye": (
            _roles(event)["Zoë N’Diaye"][0],
            "CCAS de Brest",
            "porteur ou porteuse de défi",
            3,
        ),
        "Ève Durand": (
            _roles(event)["Ève Durand"][0],
            "Rennes Métropole",
            "membre\nco-organisateur ou co-organisatrice",
            None,
        ),
        "Sans Équipe": (None, None, "membre", None),
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_untouched_export_imports_back_as_no_change(make, kind, language):
    event = _edition(make)
    before = _roles(event)
    users = db.session.scalar(select(User.id).order_by(User.id.desc()))
    data, filename = _export(event, kind, language)
    with force_locale("fr"):
        checked = check_attendee_file(event, data, filename)
        assert checked.problems == []
        assert checked.changes == []
        assert checked.unchanged == 5
        assert checked.matched == {"id": 5}
        lines = describe_attendee_import(event, checked)
    assert "Aucun changement\xa0: l’événement a déjà tout ce que contient ce fichier." in lines
    assert checked.report.ignored == []
    result = import_attendees(event, checked)
    assert (result.created, result.placed) == (0, 0)
    assert _roles(event) == before
    # Nobody was created: the people without an email were found again.
    assert db.session.scalar(select(User.id).order_by(User.id.desc())) == users


def test_an_edited_file_shows_each_change_then_makes_it(make):
    event = _edition(make)
    data, _filename = _export(event, "csv")
    text = data.decode("utf-8-sig")
    text = text.replace("Ville de Rennes", "Rennes Métropole")
    text = text.replace(";animateur ou animatrice;2", ";porteuse du défi;2")
    text = text.replace("Sans Équipe;;;membre;", "Sans Équipe;;;membre;3")
    with force_locale("fr"):
        checked = check_attendee_file(event, text.encode(), "modifie.csv")
        assert checked.problems == []
        assert {str(change).replace("\xa0", " ") for change in checked.changes} == {
            "Chloé Martin — Organisation : « Ville de Rennes » → « Rennes Métropole »",
            "Éric Le Gall — Rôle : « animateur ou animatrice » → « porteur ou porteuse de défi »",
            "Sans Équipe — Défi : (vide) → 3",
        }
        assert checked.unchanged == 2
    import_attendees(event, checked)
    roles = _roles(event)
    assert roles["Chloé Martin"][1] == "Rennes Métropole"
    assert roles["Éric Le Gall"][2:] == ("porteur ou porteuse de défi", 2)
    assert roles["Sans Équipe"][2:] == ("membre", 3)


def test_rows_are_found_by_identifier_then_email_then_name_and_organisation(make):
    event = make.event(challenges=1)
    by_id = make.participant(event, name="Par Identifiant", email="id@example.org")
    make.participant(event, name="Par Courriel", email="mail@example.org")
    make.participant(event, name="Par Nom", email=None, organisation="CCAS")
    data = (
        "Identifiant;Nom;Adresse mail;Structure\n"
        f"{attendance(by_id, event).id};Nouveau Nom;;\n"
        ";Par Courriel;MAIL@example.org;\n"
        ";par nom;;ccas\n"
        ";Quelqu’un de nouveau;;CCAS\n"
    ).encode()
    with force_locale("fr"):
        checked = check_attendee_file(event, data, "x.csv")
        assert checked.problems == []
        assert checked.matched == {"id": 1, "email": 1, "name": 1}
        lines = describe_attendee_import(event, checked)
    assert (
        "Retrouvés parmi les participants de l’événement\xa0: 1 par identifiant, 1 par adresse "
        "e-mail, 1 par nom et organisation." in lines
    )
    assert "1 nouveau participant." in lines
    result = import_attendees(event, checked)
    assert result.created == 1
    # The empty email cell left the address as it was.
    assert attendance(by_id, event).name == "Nouveau Nom"
    assert db.session.get(User, by_id.id).email == "id@example.org"


def test_an_identifier_from_another_event_is_set_aside_for_the_email(make):
    source = _edition(make)
    target = make.event(challenges=3)
    data, filename = _export(source)
    checked = check_attendee_file(target, data, filename)
    assert checked.problems == []
    assert checked.foreign_ids == 5
    import_attendees(target, checked)
    assert {name: values[1:3] for name, values in _roles(target).items()} == {
        name: values[1:3] for name, values in _roles(source).items()
    } | {"Ève Durand": ("Rennes Métropole", "membre")}


def test_a_file_does_not_make_anyone_co_organiser(make):
    event = make.event()
    make.participant(event, name="Ali Diallo", email="ali@example.org")
    data = "Nom;Adresse mail;Rôle\nAli Diallo;ali@example.org;co-organisateur\n".encode()
    with force_locale("fr"):
        checked = check_attendee_file(event, data, "x.csv")
        lines = describe_attendee_import(event, checked)
    assert any(
        "Ce fichier ne peut pas faire de ces personnes des co-organisateurs\xa0: Ali Diallo."
        in line
        for line in lines
    )
    import_attendees(event, checked)
    assert not db.session.scalars(
        select(Membership).where(Membership.event_id == event.id, Membership.role == Role.ORGANISER)
    ).all()


def test_roles_are_read_in_french_and_english_whatever_the_gender(make):
    event = make.event(challenges=2)
    data = (
        "Nom;Rôle;Équipe\n"
        "Une Animatrice;animatrice;1\n"
        "Un Porteur;Porteur du défi;2\n"
        "A Facilitator;facilitator;\n"
        "Un Membre;Membre;2\n"
    ).encode()
    checked = check_attendee_file(event, data, "x.csv")
    assert checked.problems == []
    import_attendees(event, checked)
    roles = _roles(event)
    assert roles["Une Animatrice"][2:] == ("animateur ou animatrice", 1)
    assert roles["Un Porteur"][2:] == ("porteur ou porteuse de défi", 2)
    assert roles["A Facilitator"][2:] == ("animateur ou animatrice", None)
    assert roles["Un Membre"][2:] == ("membre", 2)


def test_bad_roles_and_owners_without_a_challenge_are_problems(make):
    event = make.event(challenges=1)
    data = "Nom;Rôle;Équipe\nA;cheffe;1\nB;membre, animateur;1\n".encode()
    with force_locale("en"):
        checked = check_attendee_file(event, data, "x.csv")
    assert [(p.line, p.column) for p in checked.problems] == [(2, "Rôle"), (3, "Rôle")]
    assert "“cheffe” is not a role" in checked.problems[0].message
    assert checked.problems[1].message == "a person has one role in a team: choose one."
    data = "Nom;Rôle;Équipe\nB;porteuse;\n".encode()
    with force_locale("en"):
        checked = check_attendee_file(event, data, "x.csv")
    assert [(p.line, p.column, p.message) for p in checked.problems] == [
        (2, "Équipe", "a challenge owner needs the number of their challenge.")
    ]


def test_an_email_is_corrected_only_on_an_account_this_event_alone_manages(make):
    event = make.event()
    mine = make.participant(event, name="Compte Local", email="typo@exmaple.org")
    other = make.event()
    shared = make.participant(other, name="Compte Partagé", email="shared@example.org")
    make.join(event, shared)
    rows = {
        mine: "juste@example.org",
        shared: "pirate@example.org",
    }
    data = "Identifiant;Nom;Adresse mail\n" + "".join(
        f"{attendance(user, event).id};{user.name};{email}\n" for user, email in rows.items()
    )
    with force_locale("en"):
        checked = check_attendee_file(event, data.encode(), "x.csv")
    assert [(p.line, p.message) for p in checked.problems] == [
        (3, "this email address belongs to the person's own account: only they can change it.")
    ]
    data = data.replace("pirate@example.org", "shared@example.org")
    checked = check_attendee_file(event, data.encode(), "x.csv")
    assert checked.problems == []
    import_attendees(event, checked)
    db.session.expire_all()
    assert db.session.get(User, mine.id).email == "juste@example.org"
    assert db.session.get(User, shared.id).email == "shared@example.org"
    assert attendance(shared, other).name == "Compte Partagé"


def test_two_people_without_email_of_the_same_name_and_organisation_need_telling_apart(make):
    event = make.event()
    data = b"Nom;Structure\nAli;CCAS\nali;ccas\n"
    with force_locale("en"):
        checked = check_attendee_file(event, data, "x.csv")
    assert [(p.line, p.column) for p in checked.problems] == [(3, "Nom")]


def _queries_for(make, count_queries, size: int) -> tuple[int, int]:
    event = make.event(challenges=3)
    known = [make.participant(event, name=f"Connu {n}", email=None) for n in range(size)]
    db.session.flush()
    lines = ["Identifiant;Nom;Adresse mail;Rôle;Équipe"]
    lines += [
        f"{attendance(user, event).id};Connu {n};;animatrice;2" for n, user in enumerate(known)
    ]
    lines += [f";Nouveau {n};nouveau{n}.{event.id}@example.org;membre;1" for n in range(size)]
    lines += [f";Sans adresse {n};;porteur;3" for n in range(size)]
    data = ("\n".join(lines) + "\n").encode()
    with count_queries() as queries:
        checked = check_attendee_file(event, data, "x.csv")
    assert checked.problems == []
    checking = len(queries)
    with count_queries() as queries:
        import_attendees(event, checked)
    assert len(_roles(event)) == 3 * size
    return checking, len(queries)


def test_check_and_import_run_as_many_queries_for_10_or_40_people_per_kind(make, count_queries):
    assert _queries_for(make, count_queries, 10) == _queries_for(make, count_queries, 40)
