"""What outlives the event: follow-up, the showcase, the book."""

from facilitate.models import (
    Challenge,
    Edition,
    Event,
    Role,
    Team,
)
from facilitate.policy.jury import judges_team
from facilitate.policy.roles import can_manage_event, can_see_people, can_view_event, roles_in_team
from facilitate.policy.teamwork import can_edit_workspace, can_read_workspace

PREDICATES: dict = {}


# --- Follow-up (issue 14, item 7). Months after the event, the challenge's owner and the
# organisers say where the prototype stands (status and progress); the team's members add dated
# updates beside them, but the status and the progress are the owner's judgement. The event's
# people read the follow-up; only organisers see which challenges have gone quiet.


def can_read_follow_up(user, event: Event) -> bool:
    return can_see_people(user, event)


def can_add_follow_up_update(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.CHALLENGE_OWNER, Role.MEMBER, Role.ORGANISER})


def can_change_follow_up_status(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.CHALLENGE_OWNER, Role.ORGANISER})


def can_see_quiet_follow_ups(user, event: Event) -> bool:
    return can_manage_event(user, event)


PREDICATES.update(
    can_read_follow_up=can_read_follow_up,
    can_add_follow_up_update=can_add_follow_up_update,
    can_change_follow_up_status=can_change_follow_up_status,
    can_see_quiet_follow_ups=can_see_quiet_follow_ups,
)


# --- The showcase (issue 14, item 6). Public, as the event's page is, but only for the teams
# whose facilitator or organiser put them there; of those, anyone sees the retained idea, the
# prototype and the photos whose people pictured agreed to their being public (a consent of its
# own, photo by photo: sharing within the event is not publishing on the internet).


def can_view_showcase(user, event: Event) -> bool:
    return can_view_event(user, event)


def can_view_edition_showcase(user, edition: Edition) -> bool:
    """Public, as each site's showcase is: it shows only what every site already shows."""
    return True


def can_put_on_showcase(user, team: Team) -> bool:
    """The team's facilitator (of this event, still in it) or the event's organisers."""
    return bool(roles_in_team(user, team) & {Role.FACILITATOR, Role.ORGANISER})


def can_see_on_showcase(user, team: Team) -> bool:
    return team.on_showcase and can_view_showcase(user, team.challenge.event)


def can_read_prototype_file(user, team: Team, file) -> bool:
    """The workspace's readers read every file; the public only the photos of a team on the
    showcase whose people pictured agreed to them being public (not just shared in the event);
    the national jury the public photos of the teams it judges. Jurors come from outside the
    event, appointed by the edition: a photo shared within the event is not theirs to see."""
    if can_read_workspace(user, team):
        return True
    if file.may_be_public and can_see_on_showcase(user, team):
        return True
    return bool(file.may_be_public and judges_team(user, team))


def can_record_public_consent(user, team: Team) -> bool:
    """Whoever adds the team's photos records, photo by photo, whether the people pictured also
    agreed to the photo being public (or no longer do)."""
    return can_edit_workspace(user, team)


PREDICATES.update(
    can_view_showcase=can_view_showcase,
    can_put_on_showcase=can_put_on_showcase,
    can_see_on_showcase=can_see_on_showcase,
    can_record_public_consent=can_record_public_consent,
)


# --- The book of the challenges (issue 14, item 5). Organisers write its opening and closing,
# choose its order and download the whole book and every challenge's; a challenge's owners
# download their challenge's book. Nobody else: the book names people and shows photos.


def can_manage_book(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_download_challenge_book(user, challenge: Challenge) -> bool:
    if challenge.team is None:
        return can_manage_book(user, challenge.event)
    return bool(roles_in_team(user, challenge.team) & {Role.CHALLENGE_OWNER, Role.ORGANISER})


def can_change_own_names_consent(user) -> bool:
    """Only the person, for their own account (a code session is theirs too)."""
    return bool(user.is_authenticated)


PREDICATES.update(
    can_manage_book=can_manage_book,
    can_download_challenge_book=can_download_challenge_book,
    can_change_own_names_consent=can_change_own_names_consent,
)
