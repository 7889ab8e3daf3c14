"""Who may do what with invitations, co-organisers and passwords: every action for every role,
and a refused action changes nothing."""

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from facilitate import policy
from facilitate.accounts.services import create_invitation
from facilitate.extensions import db
from facilitate.models import AuditEntry, Invitation, Membership, Role
from facilitate.models._types import utcnow
from tests.factories import PASSWORD, sign_in
from tests.smtp import smtp  # noqa: F401  (fixture)

ROLES = [
    "anonymous",
    "participant",
    "member",
    "facilitator",
    "challenge owner",
    "organiser",
    "organiser of another event",
    "platform organiser",
]
OK, DENIED, SIGN_IN = "ok", 403, 302

# action: (method, path, form data); {slug}, {invitation} and {colleague} are filled in.
ACTIONS = {
    "list invitations and co-organisers": ("get", "/events/{slug}/organise/invitations", {}),
    "create an invitation": (
        "post",
        "/events/{slug}/organise/invitations",
        {"role": "organiser", "email": "nouvelle@example.org", "name": "Nouvelle"},
    ),
    "see an invitation's link": ("get", "/events/{slug}/organise/invitations/{invitation}", {}),
    "issue a fresh link": ("post", "/events/{slug}/organise/invitations/{invitation}/refresh", {}),
    "cancel an invitation": ("post", "/events/{slug}/organise/invitations/{invitation}/cancel", {}),
    "ask to remove a co-organiser": (
        "get",
        "/events/{slug}/organise/organisers/{colleague}/remove",
        {},
    ),
    "remove a co-organiser": ("post", "/events/{slug}/organise/organisers/{colleague}/remove", {}),
    "ask for a reset link": ("post", "/password/forgot", {"email": "someone@example.org"}),
    "change one's own password": ("get", "/account/password", {}),
}


def _only(*allowed):
    return {
        role: OK if role in allowed else (SIGN_IN if role == "anonymous" else DENIED)
        for role in ROLES
    }


EXPECTED = {action: _only("organiser") for action in ACTIONS}
# Public, and the same answer for everyone: it must not tell who has an account.
EXPECTED["ask for a reset link"] = dict.fromkeys(ROLES, OK)
# The owner of an account with a password; people signed in with a badge code have none.
EXPECTED["change one's own password"] = _only(
    "organiser", "organiser of another event", "platform organiser"
)


# One hash for every account of the table: hashing costs a tenth of a second each.
_HASH = generate_password_hash(PASSWORD)


def _person(make, event, other, team, role):
    """The account playing ``role``, made only for the test that needs it."""
    if role == "anonymous":
        return None
    if role in ("participant", "member", "facilitator", "challenge owner"):
        person = make.participant(event, team=team if role == "member" else None)
        team_role = {"facilitator": Role.FACILITATOR, "challenge owner": Role.CHALLENGE_OWNER}
        if role in team_role:
            db.session.add(Membership(user=person, event=event, team=team, role=team_role[role]))
        return person
    person = make.user(is_organiser=True, email_confirmed_at=utcnow())
    person.password_hash = _HASH
    target = {"organiser": event, "organiser of another event": other}.get(role)
    if target is not None:
        db.session.add(Membership(user=person, event=target, role=Role.ORGANISER))
    return person


@pytest.fixture
def setting(app, make):
    event = make.event(challenges=1)
    other = make.event()
    inviter = make.user(name="Inès Invitante")
    colleague = make.user(name="Colette Collègue")
    for person in (inviter, colleague):
        db.session.add(Membership(user=person, event=event, role=Role.ORGANISER))
    with app.test_request_context():
        issued = create_invitation(event, Role.ORGANISER, "invitee@example.org", "Invitée", inviter)
    db.session.commit()
    return {
        "event": event,
        "other": other,
        "team": event.challenges[0].team,
        "invitation": issued.invitation,
        "colleague": colleague,
    }


def _snapshot(event) -> tuple:
    db.session.expire_all()
    invitations = tuple(
        db.session.execute(
            select(
                Invitation.id, Invitation.secret_digest, Invitation.used_at, Invitation.cancelled_at
            ).order_by(Invitation.id)
        )
    )
    organisers = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.event_id == event.id, Membership.role == Role.ORGANISER
        )
    )
    history = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.event_id == event.id)
    )
    return invitations, organisers, history


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_accounts_authorization_table(request, client, make, setting, action, role):
    method, path, data = ACTIONS[action]
    event = setting["event"]
    if action == "ask for a reset link":
        request.getfixturevalue("smtp")
    person = _person(make, event, setting["other"], setting["team"], role)
    db.session.commit()
    url = path.format(
        slug=event.slug, invitation=setting["invitation"].id, colleague=setting["colleague"].id
    )
    if person is not None:
        sign_in(client, person)
    before = _snapshot(event)
    response = client.get(url) if method == "get" else client.post(url, data=data)
    expected = EXPECTED[action][role]
    if expected == OK:
        assert response.status_code in (200, 303), response.status_code
        if method == "post" and action != "ask for a reset link":
            assert _snapshot(event) != before
    else:
        assert response.status_code == expected
        if expected == SIGN_IN:
            assert response.headers["Location"].startswith("/sign-in")
        assert _snapshot(event) == before  # a refused action changes nothing


@pytest.mark.parametrize("role", ROLES)
def test_the_predicates_agree_with_the_table(app, make, setting, role):
    event = setting["event"]
    user = _person(make, event, setting["other"], setting["team"], role) or AnonymousUserMixin()
    with app.test_request_context():
        for name in ("can_manage_invitations", "can_manage_organisers"):
            assert getattr(policy, name)(user, event) == (role == "organiser"), name
        assert policy.can_change_own_password(user) == (
            EXPECTED["change one's own password"][role] == OK
        )
