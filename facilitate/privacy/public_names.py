"""Whose names may be printed: in a book of the challenges (the public showcase names nobody).

A person's name appears outside the event's own pages only if they said yes (``User.
names_consent``, asked once and changed on their page); everyone else is counted, not named
("Alice Martin et 3 autres personnes"). An erased attendance names nobody. Books and the
showcase ask ``team_people`` and word the result with ``describe``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from facilitate.extensions import db
from facilitate.models import Membership, Role, User
from facilitate.names import surname_sort_key

# The roles a team's page or book names, in that order.
TEAM_ROLES = (Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER)


@dataclass
class PublicNames:
    """The names that may be shown, and how many people are left unnamed."""

    names: list[str] = field(default_factory=list)
    unnamed: int = 0

    @property
    def empty(self) -> bool:
        return not self.names and not self.unnamed


def public_names(people: Iterable[tuple[str | None, bool | None]]) -> PublicNames:
    """From (name, consent) pairs: the names of those who agreed, in surname order; the others
    (no answer, no, or no name left) are only counted."""
    shown, unnamed = [], 0
    for name, consent in people:
        if consent is True and name:
            shown.append(name)
        else:
            unnamed += 1
    # Never a set: two people of the same name are two people, both named.
    return PublicNames(sorted(shown, key=surname_sort_key), unnamed)


def describe(names: PublicNames) -> str:
    """ "Alice Martin, Bruno Petit et 3 autres personnes", or "4 personnes"."""
    if not names.names:
        return ngettext("%(num)d person", "%(num)d people", names.unnamed)
    listed = ", ".join(names.names)
    if not names.unnamed:
        return listed
    others = ngettext("%(num)d other person", "%(num)d other people", names.unnamed)
    return _("%(names)s and %(others)s", names=listed, others=others)


def team_people(team_ids: list[int]) -> dict[int, dict[Role, PublicNames]]:
    """Each team's members, facilitators and challenge owners as they may be shown publicly,
    in one query whatever the number of teams. A name is the one the event prints (the
    attendance's), else the account's."""
    found: dict[int, dict[Role, list]] = {team_id: {} for team_id in team_ids}
    if not team_ids:
        return {}
    attendance = aliased(Membership)
    rows = db.session.execute(
        select(
            Membership.team_id,
            Membership.role,
            User.name,
            User.names_consent,
            attendance.name,
            attendance.erased_at,
        )
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            attendance,
            and_(
                attendance.user_id == Membership.user_id,
                attendance.event_id == Membership.event_id,
                attendance.role == Role.PARTICIPANT,
            ),
        )
        .where(Membership.team_id.in_(team_ids), Membership.role.in_(TEAM_ROLES))
    )
    for team_id, role, account_name, consent, printed_name, erased_at in rows:
        name = None if erased_at is not None else (printed_name or account_name)
        found[team_id].setdefault(role, []).append((name, consent))
    return {
        team_id: {role: public_names(roles[role]) for role in TEAM_ROLES if role in roles}
        for team_id, roles in found.items()
    }
