"""Invitations instead of passwords handed over: organisers invite, the person chooses their own
password (or, with one already, signs in and accepts); links work once, for seven days."""

import re
import socket
import time

import pytest
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import AuditEntry, Invitation, Membership, Role, User
from facilitate.models._types import utcnow
from tests.factories import PASSWORD, sign_in
from tests.smtp import body_of, smtp  # noqa: F401  (fixture)

GOOD_PASSWORD = "Glacière d’Etel, 1902 !"
LINK = re.compile(r"http://facilitate\.test/invitations/[A-Za-z0-9_.\-]+")


@pytest.fixture
def event(make):
    return make.event(challenges=2)


@pytest.fixture
def organiser(client, make, event):
    person = make.organiser(event, name="Odile Organisatrice")
    sign_in(client, person)
    return person


def _facilitator(make, event, **fields):
    person = make.participant(event, **fields)
    db.session.add(
        Membership(user=person, event=event, team=event.challenges[0].team, role=Role.FACILITATOR)
    )
    db.session.flush()
    return person


def _invite(client, event, email, role="organiser", name="", follow=True):
    response = client.post(
        f"/events/{event.slug}/organise/invitations",
        data={"role": role, "email": email, "name": name},
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["Location"])
    match = LINK.search(page.text)
    assert match, page.text
    return match.group(0)


def _path(link: str) -> str:
    return link.removeprefix("http://facilitate.test")


def _actions(event) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.event_id == event.id).order_by(AuditEntry.id)
        )
    )


def _organiser_ids(event) -> set[int]:
    return set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.event_id == event.id, Membership.role == Role.ORGANISER
            )
        )
    )


# --- Co-organisers: a new person


def test_a_new_co_organiser_chooses_a_password_and_is_signed_in(app, client, event, organiser):
    link = _invite(client, event, "Claire.Dupuis@Example.org", name="Claire Dupuis")
    assert "invitation.created" in _actions(event)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "claire.dupuis@example.org"
    assert invitation.secret_digest not in link  # only a digest is kept

    guest = app.test_client()
    page = guest.get(_path(link))
    assert page.status_code == 200
    assert "Choisir votre mot de passe" in page.text and 'value="Claire Dupuis"' in page.text
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["Cache-Control"] == "no-store"

    weak = guest.post(
        _path(link),
        data={"name": "Claire Dupuis", "password": "azerty123456", "confirm": "azerty123456"},
    )
    assert weak.status_code == 400
    assert "plus courants" in weak.text
    assert db.session.scalar(select(User).where(User.email == invitation.email)) is None

    response = guest.post(
        _path(link), data={"name": "Claire D.", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}/organise"
    claire = db.session.scalar(select(User).where(User.email == invitation.email))
    assert claire.name == "Claire D." and claire.check_password(GOOD_PASSWORD)
    assert claire.id in _organiser_ids(event)
    assert guest.get(f"/events/{event.slug}/organise").status_code == 200  # signed in
    db.session.refresh(invitation)
    assert invitation.used_at is not None and invitation.accepted_by_id == claire.id
    assert _actions(event)[-1] == "invitation.accepted"

    again = app.test_client().get(_path(link))
    assert again.status_code == 410
    assert "déjà été utilisée" in again.text


def test_the_two_passwords_must_match(app, client, event, organiser):
    link = _invite(client, event, "x@example.org", name="X")
    response = app.test_client().post(
        _path(link), data={"name": "X", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD + "?"}
    )
    assert response.status_code == 400
    assert "ne sont pas identiques" in response.text


def test_inviting_needs_a_name_for_a_new_person_and_refuses_a_second_open_one(
    client, event, organiser
):
    url = f"/events/{event.slug}/organise/invitations"
    response = client.post(url, data={"role": "organiser", "email": "new@example.org"})
    assert response.status_code == 400 and 'id="name-error"' in response.text
    _invite(client, event, "new@example.org", name="Nouvelle")
    response = client.post(url, data={"role": "organiser", "email": "NEW@example.org", "name": "N"})
    assert response.status_code == 400
    assert "déjà en cours" in response.text
    assert db.session.scalar(select(func.count(Invitation.id))) == 1


def test_an_organiser_of_the_event_cannot_be_invited_again(client, event, organiser, make):
    other = make.organiser(event)
    response = client.post(
        f"/events/{event.slug}/organise/invitations",
        data={"role": "organiser", "email": other.email},
    )
    assert response.status_code == 400
    assert "organise déjà" in response.text


# --- Facilitators and challenge owners: attendees who get a password


def test_a_facilitator_attendee_chooses_a_password_from_a_one_click_link(
    app, client, event, organiser, make
):
    person = _facilitator(make, event, name="Fanny Animatrice", email="fanny@example.org")
    db.session.commit()
    page = client.get(f"/events/{event.slug}/organise/invitations")
    assert "Fanny Animatrice" in page.text and "pas encore" in page.text
    link = _invite(client, event, "fanny@example.org", role="facilitator")

    guest = app.test_client()
    form = guest.get(_path(link))
    assert 'name="name"' not in form.text  # an attendee's name is the organisers' record
    response = guest.post(_path(link), data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}"
    db.session.refresh(person)
    assert person.check_password(GOOD_PASSWORD)
    assert person.id not in _organiser_ids(event)  # the link gives no other role
    fresh = app.test_client()
    assert (
        fresh.post(
            "/sign-in/password", data={"email": "fanny@example.org", "password": GOOD_PASSWORD}
        ).status_code
        == 303
    )


def test_a_facilitator_link_names_someone_of_the_event_with_that_role(
    client, event, organiser, make
):
    make.participant(event, email="membre@example.org")
    outsider = make.participant(make.event(), email="ailleurs@example.org")
    db.session.commit()
    for email in ("membre@example.org", outsider.email, "inconnu@example.org"):
        response = client.post(
            f"/events/{event.slug}/organise/invitations",
            data={"role": "facilitator", "email": email},
        )
        assert response.status_code == 400
        assert "Ajoutez-la d’abord aux participants" in response.text
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_no_organiser_can_issue_a_link_for_an_account_with_a_password(
    client, event, organiser, make
):
    person = _facilitator(make, event, email="deja@example.org")
    person.set_password(PASSWORD)
    db.session.commit()
    response = client.post(
        f"/events/{event.slug}/organise/invitations",
        data={"role": "facilitator", "email": person.email},
    )
    assert response.status_code == 400
    assert "a déjà un mot de passe" in response.text
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


# --- Accounts that already have a password: never set through a link


def test_an_account_with_a_password_signs_in_then_accepts(app, client, event, organiser, make):
    owner = make.user(password=PASSWORD, email="titulaire@example.org", name="Théo Titulaire")
    intruder = make.user(password=PASSWORD, email="autre@example.org")
    db.session.commit()
    hash_before = owner.password_hash
    link = _invite(client, event, owner.email)

    anonymous = app.test_client()
    page = anonymous.get(_path(link))
    assert page.status_code == 200
    assert "Se connecter pour accepter" in page.text
    assert 'name="password"' not in page.text
    refused = anonymous.post(
        _path(link), data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
    )
    assert refused.status_code == 401

    other = app.test_client()
    sign_in(other, intruder)
    wrong = other.get(_path(link))
    assert wrong.status_code == 403
    assert "destinée à l’adresse t…@example.org" in wrong.text
    assert other.post(_path(link)).status_code == 403

    db.session.refresh(owner)
    assert owner.password_hash == hash_before
    assert owner.id not in _organiser_ids(event)

    sign_in(anonymous, owner)
    assert "Accepter l’invitation" in anonymous.get(_path(link)).text
    accepted = anonymous.post(_path(link))
    assert accepted.status_code == 303
    assert owner.id in _organiser_ids(event)
    db.session.refresh(owner)
    assert owner.password_hash == hash_before


def test_an_account_without_password_used_at_another_event_proves_its_address(
    app, client, event, organiser, make
):
    """The organisers of this event see the link: it must not give them the person's account,
    which holds their place at another event."""
    elsewhere = make.event()
    person = make.participant(elsewhere, email="agent@example.org")
    db.session.commit()
    link = _invite(client, event, person.email)

    guest = app.test_client()
    page = guest.get(_path(link))
    assert page.status_code == 200
    assert 'name="password"' not in page.text
    assert "seul un lien envoyé à cette adresse" in page.text
    response = guest.post(_path(link), data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 409
    db.session.refresh(person)
    assert person.password_hash is None
    assert person.id not in _organiser_ids(event)
    assert db.session.scalar(select(Invitation.used_at)) is None


def test_a_platform_organiser_without_password_is_protected_too(
    app, client, event, organiser, make
):
    person = make.user(email="plateforme@example.org", is_organiser=True)
    db.session.commit()
    link = _invite(client, event, person.email)
    guest = app.test_client()
    assert (
        guest.post(
            _path(link), data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
        ).status_code
        == 409
    )
    db.session.refresh(person)
    assert person.password_hash is None


# --- Links that do not work: a clear page, in the reader's language, and nothing changes


def test_cancelled_links_stop_and_fresh_links_replace_the_old_one(app, client, event, organiser):
    first = _invite(client, event, "c@example.org", name="C")
    invitation = db.session.scalar(select(Invitation))
    url = f"/events/{event.slug}/organise/invitations/{invitation.id}"

    assert client.post(f"{url}/refresh").status_code == 303
    second = LINK.search(client.get(url).text).group(0)
    assert second != first
    replaced = app.test_client().get(_path(first))
    assert replaced.status_code == 410 and "remplacé" in replaced.text
    assert app.test_client().get(_path(second)).status_code == 200

    assert client.post(f"{url}/cancel").status_code == 303
    cancelled = app.test_client().post(
        _path(second), data={"name": "C", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
    )
    assert cancelled.status_code == 410 and "annulée" in cancelled.text
    assert db.session.scalar(select(User).where(User.email == "c@example.org")) is None
    assert (
        _actions(event)[-3:]
        == [
            "invitation.created",
            "invitation.refreshed",
            "invitation.cancelled",
        ][-3:]
    )
    assert client.post(f"{url}/refresh").status_code == 303  # refused, with a message
    assert "acceptée ou annulée" in client.get(f"/events/{event.slug}/organise/invitations").text


def test_an_expired_invitation_says_so_and_a_fresh_link_revives_it(app, client, event, organiser):
    link = _invite(client, event, "e@example.org", name="E")
    invitation = db.session.scalar(select(Invitation))
    invitation.issued_at = invitation.issued_at.replace(year=2020)
    invitation.expires_at = invitation.issued_at.replace(day=8)
    db.session.commit()
    response = app.test_client().get(_path(link), headers={"Accept-Language": "en"})
    assert response.status_code == 410
    assert "This invitation has expired" in response.text and '<html lang="en">' in response.text
    assert "Expirée" in client.get(f"/events/{event.slug}/organise/invitations").text
    client.post(f"/events/{event.slug}/organise/invitations/{invitation.id}/refresh")
    db.session.refresh(invitation)
    assert invitation.expires_at > utcnow()


def test_a_link_older_than_seven_days_has_expired_whatever_the_database_says(
    app, client, event, organiser, monkeypatch
):
    link = _invite(client, event, "old@example.org", name="Old")
    later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    response = app.test_client().get(_path(link))
    assert response.status_code == 410 and "a expiré" in response.text


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "n-importe-quoi",
        lambda token: token.split(".")[0],
    ],
)
def test_forged_links_are_not_found(app, client, event, organiser, tamper):
    link = _invite(client, event, "f@example.org", name="F")
    token = link.rsplit("/", 1)[1]
    response = app.test_client().post(
        f"/invitations/{tamper(token)}",
        data={"name": "F", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD},
    )
    assert response.status_code == 404
    assert "ne fonctionne pas" in response.text
    assert db.session.scalar(select(User).where(User.email == "f@example.org")) is None


def test_a_password_reset_token_is_no_invitation(app, client, event, organiser, make):
    from facilitate.accounts.passwords import reset_token

    person = make.user(email="r@example.org")
    db.session.commit()
    assert app.test_client().get(f"/invitations/{reset_token(person)}").status_code == 404


def test_an_invitation_of_another_event_is_not_found_here(client, event, organiser, make):
    other = make.event()
    make.organiser(other)
    invitation = Invitation(
        event_id=other.id,
        email="z@example.org",
        name="Z",
        role=Role.ORGANISER,
        secret_digest="0" * 64,
        issued_at=utcnow(),
        expires_at=utcnow().replace(year=utcnow().year + 1),
    )
    db.session.add(invitation)
    db.session.commit()
    base = f"/events/{event.slug}/organise/invitations/{invitation.id}"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/cancel").status_code == 404
    assert client.post(f"{base}/refresh").status_code == 404


def test_the_link_page_shows_a_qr_code_only_to_the_organiser_who_created_it(
    app, client, event, organiser, make
):
    link = _invite(client, event, "q@example.org", name="Q")
    invitation = db.session.scalar(select(Invitation))
    url = f"/events/{event.slug}/organise/invitations/{invitation.id}"
    page = client.get(url)
    assert '<svg role="img" aria-label="QR code de l’invitation de Q"' in page.text
    assert link in page.text and "data-print" in page.text

    colleague = app.test_client()
    sign_in(colleague, make.organiser(event))
    other_view = colleague.get(url)
    assert other_view.status_code == 200
    assert link not in other_view.text and "<svg" not in other_view.text
    assert "Émettre un nouveau lien" in other_view.text
    assert page.headers["Cache-Control"] == "no-store"

    client.post("/sign-out")  # a shared computer: the session keeps no working link
    sign_in(client, organiser)
    assert link not in client.get(url).text


# --- Email


def test_the_link_is_sent_by_email_when_the_platform_has_email(app, client, event, organiser, smtp):  # noqa: F811
    link = _invite(client, event, "mail@example.org", name="Maëlle")
    (message,) = smtp.wait_for(1)
    assert message["To"] == "mail@example.org"
    assert message["Subject"] == f"Invitation à organiser «\u00a0{event.name}\u00a0»"
    body = body_of(message)
    assert link in body and "Bonjour Maëlle" in body and "Odile Organisatrice" in body
    assert db.session.scalar(select(Invitation.emailed_at)) is not None
    assert "envoyé par e-mail" in client.get(f"/events/{event.slug}/organise/invitations").text


def test_when_the_email_fails_the_link_is_still_shown(app, client, event, organiser, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    response = client.post(
        f"/events/{event.slug}/organise/invitations",
        data={"role": "organiser", "email": "fail@example.org", "name": "F"},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "n’a pas pu être envoyé" in page.text
    assert LINK.search(page.text)
    assert db.session.scalar(select(Invitation.emailed_at)) is None


# --- Co-organisers: the list, and removing one, never the last


def test_organisers_see_and_remove_co_organisers_but_never_the_last(
    app, client, event, organiser, make
):
    colleague = make.organiser(event, name="Colette Collègue")
    db.session.commit()
    page = client.get(f"/events/{event.slug}/organise/invitations")
    assert "Colette Collègue" in page.text and "2 organisateurs et organisatrices" in page.text

    url = f"/events/{event.slug}/organise/organisers/{colleague.id}/remove"
    assert "Retirer Colette Collègue de l’organisation" in client.get(url).text
    assert colleague.id in _organiser_ids(event)  # the GET changed nothing
    assert client.post(url).status_code == 303
    assert _organiser_ids(event) == {organiser.id}
    assert db.session.get(User, colleague.id) is not None  # the account stays
    assert _actions(event)[-1] == "organiser.removed"

    last = client.post(f"/events/{event.slug}/organise/organisers/{organiser.id}/remove")
    assert last.status_code == 303
    assert _organiser_ids(event) == {organiser.id}
    assert "au moins une personne" in client.get(last.headers["Location"]).text


def test_the_service_refuses_to_remove_the_last_organiser(event, make):
    from facilitate.accounts.organisers import remove_organiser
    from facilitate.domain import DomainError

    only = make.organiser(event)
    with pytest.raises(DomainError):
        remove_organiser(event, only, only)
    assert _organiser_ids(event) == {only.id}


def test_an_organiser_may_leave_when_another_one_stays(client, event, organiser, make):
    make.organiser(event)
    db.session.commit()
    response = client.post(f"/events/{event.slug}/organise/organisers/{organiser.id}/remove")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert organiser.id not in _organiser_ids(event)
    assert client.get(f"/events/{event.slug}/organise").status_code == 403


def test_removing_someone_who_does_not_organise_is_not_found(client, event, organiser, make):
    person = make.participant(event)
    db.session.commit()
    assert (
        client.post(f"/events/{event.slug}/organise/organisers/{person.id}/remove").status_code
        == 404
    )


def test_the_history_tells_each_step_in_the_reader_s_language(app, client, event, organiser):
    link = _invite(client, event, "h@example.org", name="Hélène")
    app.test_client().post(
        _path(link), data={"name": "Hélène", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}
    )
    history = client.get(f"/events/{event.slug}/history").text
    assert "a invité h@example.org comme co-organisateur ou co-organisatrice" in history
    assert "a accepté l’invitation comme co-organisateur ou co-organisatrice" in history
    english = client.get(f"/events/{event.slug}/history", headers={"Accept-Language": "en"})
    assert "invited h@example.org as co-organiser" in english.text


def test_the_organiser_hub_links_to_the_page(client, event, organiser):
    hub = client.get(f"/events/{event.slug}/organise").text
    assert f'href="/events/{event.slug}/organise/invitations"' in hub


def test_the_invitations_page_runs_a_fixed_number_of_queries(
    client, event, organiser, make, count_queries
):
    for i in range(3):
        _facilitator(make, event, email=f"fac{i}@example.org")
    db.session.commit()
    _invite(client, event, "fac0@example.org", role="facilitator")
    url = f"/events/{event.slug}/organise/invitations"
    with count_queries() as few:
        client.get(url)
    for i in range(3, 8):
        _facilitator(make, event, email=f"fac{i}@example.org")
    db.session.commit()
    _invite(client, event, "fac4@example.org", role="facilitator")
    _invite(client, event, "other@example.org", name="Other")
    with count_queries() as more:
        client.get(url)
    assert len(more) == len(few)


def test_the_password_form_of_a_link_posts_over_https_with_csrf_on(app, make, monkeypatch):
    """Flask-WTF checks the Referer of a form posted over HTTPS: the pages of links must let the
    browser send it (same-origin), or nobody could choose a password in production."""
    from facilitate.accounts.services import create_invitation

    event = make.event()
    inviter = make.organiser(event)
    with app.test_request_context():
        issued = create_invitation(event, Role.ORGANISER, "tls@example.org", "TLS", inviter)
        path = _path(issued.url)
    db.session.commit()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    browser = app.test_client()
    page = browser.get(path, base_url="https://facilitate.test")
    assert page.headers["Referrer-Policy"] == "same-origin"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        path,
        base_url="https://facilitate.test",
        headers={"Referer": f"https://facilitate.test{path}"},
        data={
            "csrf_token": token,
            "name": "TLS",
            "password": GOOD_PASSWORD,
            "confirm": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 303
