"""Who may do what. Every view and template asks here; nothing else decides.

Predicates take the person first (a signed-in ``User`` or Flask-Login's anonymous user) and the
object second, and only answer: loading and refusing is ``require``'s job.
"""

from flask import abort, g
from flask_login import current_user
from sqlalchemy import bindparam, select

from facilitate.extensions import db, login_manager
from facilitate.models import (
    Challenge,
    Edition,
    Event,
    Juror,
    Membership,
    NationalOrganiser,
    Nomination,
    Role,
    Team,
    VoteStatus,
)


def _code_scope(user) -> int | None:
    """The one event an access code's session opens (None: a password session, or nobody)."""
    return getattr(user, "signed_in_event_id", None)


def _reaches(user, event_id: int) -> bool:
    """Whether this session may act at this event at all (see User.reachable_event_ids)."""
    reachable = getattr(user, "reachable_event_ids", None)
    return reachable is None or event_id in reachable


def session_reaches(user, event_id: int) -> bool:
    """For lists that gather rows of several events at once (the follow-up invitations on a
    person's home page): whether this session may show that event's at all."""
    return _reaches(user, event_id)


def _scoped(user, event_id: int, roles) -> frozenset[Role]:
    """An access code opens its own event, as the attendee it was printed for: never another
    event, and never the organiser's rights, even when the same person organises it. A password
    whose email is unconfirmed opens only the events that invited it."""
    if not _reaches(user, event_id):
        return frozenset()
    if _code_scope(user) is None:
        return frozenset(roles)
    return frozenset(roles) - {Role.ORGANISER}


_MEMBERSHIPS = select(Membership.role, Membership.team_id).where(
    Membership.user_id == bindparam("user_id"), Membership.event_id == bindparam("event_id")
)


def _memberships(user, event_id: int) -> tuple[tuple[Role, int | None], ...]:
    """The person's memberships at this event, as (role, team id): one query per request, which
    answers both ``roles_in`` and ``roles_in_team`` (a stand or a workspace asks both). Its
    statement is built once: nearly every page asks."""
    cache = g.setdefault("_memberships", {})
    key = (user.id, event_id)
    if key not in cache:
        rows = db.session.execute(_MEMBERSHIPS, {"user_id": user.id, "event_id": event_id})
        cache[key] = tuple(tuple(row) for row in rows)
    return cache[key]


def roles_in(user, event: Event) -> frozenset[Role]:
    """The person's roles at this event, read once per request."""
    if not user.is_authenticated or not _reaches(user, event.id):
        return frozenset()
    cache = g.setdefault("_roles_in_event", {})
    key = (user.id, event.id)
    if key not in cache:
        roles = _scoped(user, event.id, (role for role, _ in _memberships(user, event.id)))
        cache[key] = roles | _national_roles(user, event)
    return cache[key]


def roles_in_team(user, team: Team) -> frozenset[Role]:
    """The person's roles towards this team (member, facilitator, challenge owner), once per
    request, plus ORGANISER when they organise the team's event."""
    if not user.is_authenticated or not _reaches(user, team.event_id):
        return frozenset()
    cache = g.setdefault("_roles_in_team", {})
    key = (user.id, team.id)
    if key not in cache:
        roles = (
            role
            for role, team_id in _memberships(user, team.event_id)
            if team_id == team.id or role == Role.ORGANISER
        )
        # The team's event is already loaded by every page that asks: no query.
        national = _national_roles(user, db.session.get(Event, team.event_id))
        cache[key] = _scoped(user, team.event_id, roles) | national
    return cache[key]


def can_view_event(user, event: Event) -> bool:
    """Event and challenge pages are public, as the programmes of these universities are: a
    challenge is a public question a local authority asks."""
    return True


def can_view_challenge(user, challenge: Challenge) -> bool:
    return can_view_event(user, challenge.event)


def can_manage_event(user, event: Event) -> bool:
    return Role.ORGANISER in roles_in(user, event)


def can_create_events(user) -> bool:
    """A platform right of the account: a session opened with an access code never has it."""
    return bool(
        user.is_authenticated
        and user.is_organiser
        and getattr(user, "reachable_event_ids", None) is None
    )


def can_copy_event(user, event: Event) -> bool:
    """A copy is a new event: it needs the right to create events, on top of organising the
    source (an organiser who may not create events must not make themselves some)."""
    return can_manage_event(user, event) and can_create_events(user)


def can_see_people(user, event: Event) -> bool:
    """Who is in which team is for the people of the event, not the public."""
    return bool(roles_in(user, event))


def require(allowed: bool) -> None:
    """Refuse the request unless allowed: anonymous people are sent to sign in, others get 403."""
    if allowed:
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(403)


# --- The team workspace (issue 4). Members and the team's facilitator edit; challenge owners
# comment and endorse; the event's other people read; organisers do everything.


def can_read_workspace(user, team: Team) -> bool:
    return bool(roles_in_team(user, team)) or can_see_people(user, team.challenge.event)


def can_edit_workspace(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.MEMBER, Role.FACILITATOR, Role.ORGANISER})


def can_comment_on_workspace(user, team: Team) -> bool:
    return bool(
        roles_in_team(user, team)
        & {Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER, Role.ORGANISER}
    )


def can_place_dots(user, team: Team) -> bool:
    """Dots are the members' vote among their own ideas."""
    return Role.MEMBER in roles_in_team(user, team)


def can_close_dot_vote(user, team: Team) -> bool:
    """The facilitator ends the team's dot vote (organisers may stand in for them)."""
    return bool(roles_in_team(user, team) & {Role.FACILITATOR, Role.ORGANISER})


def can_retain_idea(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.FACILITATOR, Role.ORGANISER})


def can_endorse_idea(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.CHALLENGE_OWNER, Role.ORGANISER})


def can_move_team_stage(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.FACILITATOR, Role.ORGANISER})


# --- The exhibition (issue 5). Stands are for the event's people; attendees vote and leave
# feedback; organisers run the vote and see results before anyone else.


def can_visit_stand(user, team: Team) -> bool:
    return can_see_people(user, team.challenge.event)


def can_vote(user, event: Event) -> bool:
    """Every attendee votes (members, facilitators and owners are attendees too)."""
    return Role.PARTICIPANT in roles_in(user, event)


def can_leave_feedback(user, team: Team) -> bool:
    """Visitors tell a team what they think; the team's own people record theirs in the
    workspace instead."""
    return can_see_people(user, team.challenge.event) and not (
        roles_in_team(user, team) - {Role.ORGANISER}
    )


def can_run_vote(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_see_results(user, event: Event) -> bool:
    """Organisers always (the page warns them); the event's people once revealed."""
    if can_manage_event(user, event):
        return True
    return event.vote_status == VoteStatus.REVEALED and can_see_people(user, event)


# --- Stand feedback (deliverable 9). What visitors tell a team is for the team: its members, its
# facilitator, its challenge owner and the event's organisers read it (in the workspace and the
# exports); the event's other people, who may read the rest of the workspace, do not.


def can_read_feedback(user, team: Team) -> bool:
    return bool(
        roles_in_team(user, team)
        & {Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER, Role.ORGANISER}
    )


# The names templates use to hide what a person may not do.
TEMPLATE_PREDICATES = {
    "can_view_event": can_view_event,
    "can_view_challenge": can_view_challenge,
    "can_manage_event": can_manage_event,
    "can_create_events": can_create_events,
    "can_copy_event": can_copy_event,
    "can_see_people": can_see_people,
    "can_read_workspace": can_read_workspace,
    "can_edit_workspace": can_edit_workspace,
    "can_comment_on_workspace": can_comment_on_workspace,
    "can_place_dots": can_place_dots,
    "can_close_dot_vote": can_close_dot_vote,
    "can_retain_idea": can_retain_idea,
    "can_endorse_idea": can_endorse_idea,
    "can_move_team_stage": can_move_team_stage,
    "can_visit_stand": can_visit_stand,
    "can_vote": can_vote,
    "can_leave_feedback": can_leave_feedback,
    "can_run_vote": can_run_vote,
    "can_see_results": can_see_results,
    "can_read_feedback": can_read_feedback,
}


def init_app(app) -> None:
    """Templates ask the same predicates as views, to hide what a person may not do."""
    app.jinja_env.globals.update(TEMPLATE_PREDICATES)


# --- The JSON API (issue 5). The API asks the predicates above; these only spare it queries and
# say who may hold a token.


def remember_roles(user, event: Event, roles) -> None:
    """The API reads the caller's roles together with the event, in one query: record them as
    ``roles_in`` would have read them, so that the predicates above ask the database no more."""
    g.setdefault("_roles_in_event", {})[(user.id, event.id)] = _scoped(
        user, event.id, roles
    ) | _national_roles(user, event)


def may_hold_api_token(user) -> bool:
    """API tokens are for organisers' scripts: people who may create events or organise one.
    Participants use the access code they already have."""
    if _code_scope(user) is not None:
        return False
    if can_create_events(user):
        return True
    return (
        db.session.scalar(
            select(Membership.id)
            .where(Membership.user_id == user.id, Membership.role == Role.ORGANISER)
            .limit(1)
        )
        is not None
    )


# --- Accounts, invitations and co-organisers. An event's organisers invite its
# co-organisers, and its facilitators and challenge owners who have no password yet; nobody but
# the owner ever sets, resets or changes a password.


def can_manage_invitations(user, event: Event) -> bool:
    """See, create, cancel and refresh the event's invitations."""
    return can_manage_event(user, event)


def can_manage_organisers(user, event: Event) -> bool:
    """See the event's co-organisers and remove one (never the last: see accounts.services)."""
    return can_manage_event(user, event)


def can_change_own_password(user) -> bool:
    """Only someone who signed in to an account with a password, and knows it."""
    return bool(user.is_authenticated and user.password_hash)


# --- Personal data (GDPR). A person takes away what one event holds of them, from a session
# that reaches that event as its attendee (a code reaches one event only); that event's
# organisers erase people and purge the event, and edit what the event tells them about it.


def can_download_own_data(user, event: Event) -> bool:
    """Only an attendee, of this event: a removed or erased person no longer attends it."""
    return Role.PARTICIPANT in roles_in(user, event)


def can_erase_attendees(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_purge_personal_data(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_edit_privacy_notice(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_read_privacy_notice(user, event: Event) -> bool:
    """Public, as the event's page is: people read it before they sign up."""
    return can_view_event(user, event)


TEMPLATE_PREDICATES.update(
    {
        "can_download_own_data": can_download_own_data,
        "can_erase_attendees": can_erase_attendees,
        "can_purge_personal_data": can_purge_personal_data,
        "can_edit_privacy_notice": can_edit_privacy_notice,
        "can_read_privacy_notice": can_read_privacy_notice,
    }
)


TEMPLATE_PREDICATES.update(
    {
        "can_manage_invitations": can_manage_invitations,
        "can_manage_organisers": can_manage_organisers,
        "can_change_own_password": can_change_own_password,
    }
)


# --- The programme (issue 14). Public as the event page is; organisers enter it; each attendee
# may have a personal calendar feed.


def can_view_programme(user, event: Event) -> bool:
    """The programme, its room pages, screens and the event's calendar feed: as public as the
    event's page."""
    return can_view_event(user, event)


def can_manage_programme(user, event: Event) -> bool:
    """Enter sessions, import and export them, and push announcements to the screens."""
    return can_manage_event(user, event)


def can_have_calendar_feed(user, event: Event) -> bool:
    """A personal feed (the team's sessions) is for the event's attendees."""
    return bool(roles_in(user, event))


TEMPLATE_PREDICATES.update(
    can_view_programme=can_view_programme,
    can_manage_programme=can_manage_programme,
    can_have_calendar_feed=can_have_calendar_feed,
)


# --- Resources and the debrief (issue 14). Organisers write resources for the event's people,
# who read them; each attendee answers the debrief once, and only organisers see the answers,
# gathered (names only of those who chose to give them).


def can_read_resources(user, event: Event) -> bool:
    return can_see_people(user, event)


def can_manage_resources(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_answer_debrief(user, event: Event) -> bool:
    """Every attendee of the event, as for the vote."""
    return Role.PARTICIPANT in roles_in(user, event)


def can_read_debrief_answers(user, event: Event) -> bool:
    """Open and close the questionnaire, choose its parts, read and export the answers."""
    return can_manage_event(user, event)


TEMPLATE_PREDICATES.update(
    can_read_resources=can_read_resources,
    can_manage_resources=can_manage_resources,
    can_answer_debrief=can_answer_debrief,
    can_read_debrief_answers=can_read_debrief_answers,
)


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


TEMPLATE_PREDICATES.update(
    can_read_follow_up=can_read_follow_up,
    can_add_follow_up_update=can_add_follow_up_update,
    can_change_follow_up_status=can_change_follow_up_status,
    can_see_quiet_follow_ups=can_see_quiet_follow_ups,
)


# --- The showcase (issue 14, item 6). Public, as the event's page is, but only for the teams
# whose facilitator or organiser put them there; of those, anyone sees the retained idea, the
# prototype and the photos whose uploader confirmed the consent of the people pictured.


def can_view_showcase(user, event: Event) -> bool:
    return can_view_event(user, event)


def can_put_on_showcase(user, team: Team) -> bool:
    """The team's facilitator (of this event, still in it) or the event's organisers."""
    return bool(roles_in_team(user, team) & {Role.FACILITATOR, Role.ORGANISER})


def can_see_on_showcase(user, team: Team) -> bool:
    return team.on_showcase and can_view_showcase(user, team.challenge.event)


def can_read_prototype_file(user, team: Team, file) -> bool:
    """The workspace's readers read every file; the public only the consented photos of a team
    on the showcase."""
    if can_read_workspace(user, team):
        return True
    if not (file.is_photo and file.consent_confirmed):
        return False
    return can_see_on_showcase(user, team) or judges_team(user, team)


TEMPLATE_PREDICATES.update(
    can_view_showcase=can_view_showcase,
    can_put_on_showcase=can_put_on_showcase,
    can_see_on_showcase=can_see_on_showcase,
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


TEMPLATE_PREDICATES.update(
    can_manage_book=can_manage_book,
    can_download_challenge_book=can_download_challenge_book,
    can_change_own_names_consent=can_change_own_names_consent,
)


# --- Editions and sites (issue 15). An edition groups the sites of one year; its national
# organisers create sites, attach existing events, appoint and remove site organisers, and
# organise every site of the edition with the same rights as its site organisers (they could
# invite themselves anyway; the national team steps in when a site needs it). Site organisers
# organise their own site only and do not see the edition's pages. The national role needs a
# password session with a confirmed address, as creating events does: never an access code.


def _national_editions(user) -> frozenset[int]:
    """The editions the person runs nationally, read once per request."""
    if (
        not user.is_authenticated
        or _code_scope(user) is not None
        or getattr(user, "reachable_event_ids", None) is not None
    ):
        return frozenset()
    cache = g.setdefault("_national_editions", {})
    if user.id not in cache:
        cache[user.id] = frozenset(
            db.session.scalars(
                select(NationalOrganiser.edition_id).where(NationalOrganiser.user_id == user.id)
            )
        )
    return cache[user.id]


def _national_roles(user, event: Event | None) -> frozenset[Role]:
    """ORGANISER at a site of an edition the person runs; no query for an event of no edition."""
    if event is None or event.edition_id is None:
        return frozenset()
    return frozenset({Role.ORGANISER}) if runs_edition(user, event.edition_id) else frozenset()


def runs_edition(user, edition_id: int) -> bool:
    return edition_id in _national_editions(user)


def can_create_editions(user) -> bool:
    """Whoever may create events may start an edition (and becomes its national organiser)."""
    return can_create_events(user)


def can_view_edition(user, edition: Edition) -> bool:
    """The edition's pages (its sites, their organisers, the national dashboard)."""
    return runs_edition(user, edition.id)


def can_manage_edition(user, edition: Edition) -> bool:
    """Change the edition, create and detach sites, appoint and remove national organisers."""
    return runs_edition(user, edition.id)


def can_attach_event(user, edition: Edition, event: Event) -> bool:
    """An existing event joins an edition by a national organiser who also organises it (a
    national organiser must not take over an event nobody gave them)."""
    return can_manage_edition(user, edition) and can_manage_event(user, event)


def runs_any_edition(user) -> bool:
    return bool(_national_editions(user))


def can_view_edition_room(user, edition: Edition) -> bool:
    """The national room screen, projected in every site's plenary: its national organisers and
    the organisers of its sites open it. It names no person: each site's stage, local time and
    counts."""
    if runs_edition(user, edition.id):
        return True
    if not user.is_authenticated or _code_scope(user) is not None:
        return False
    reachable = getattr(user, "reachable_event_ids", None)
    site_ids = db.session.scalars(
        select(Membership.event_id)
        .join(Event, Event.id == Membership.event_id)
        .where(
            Membership.user_id == user.id,
            Membership.role == Role.ORGANISER,
            Event.edition_id == edition.id,
        )
    ).all()
    return any(reachable is None or site_id in reachable for site_id in site_ids)


TEMPLATE_PREDICATES.update(
    runs_any_edition=runs_any_edition,
    can_view_edition_room=can_view_edition_room,
    can_create_editions=can_create_editions,
    can_view_edition=can_view_edition,
    can_manage_edition=can_manage_edition,
)


# --- The national jury (issue 15, item 3). National organisers define the rubric, appoint and
# remove jurors, follow the scoring and reveal the totals; a site's organisers (and national
# ones) nominate up to two of its teams. A juror needs a password session and sees only the
# nominees and their work (the consented photos among it), never the rest of a site: being a
# juror gives no role at any event. Scores change until the reveal; then the totals are shown
# to the national organisers, the jurors and the sites' organisers.


def _juror_editions(user) -> frozenset[int]:
    if (
        not user.is_authenticated
        or _code_scope(user) is not None
        or getattr(user, "reachable_event_ids", None) is not None
    ):
        return frozenset()
    cache = g.setdefault("_juror_editions", {})
    if user.id not in cache:
        cache[user.id] = frozenset(
            db.session.scalars(select(Juror.edition_id).where(Juror.user_id == user.id))
        )
    return cache[user.id]


def is_juror(user, edition: Edition) -> bool:
    return edition.id in _juror_editions(user)


def sits_on_any_jury(user) -> bool:
    return bool(_juror_editions(user))


def can_manage_jury(user, edition: Edition) -> bool:
    return can_manage_edition(user, edition)


def can_nominate(user, event: Event) -> bool:
    return event.edition_id is not None and can_manage_event(user, event)


def can_read_nominees(user, edition: Edition) -> bool:
    """The nominees and their work: the jurors, and the national organisers who follow them."""
    return is_juror(user, edition) or can_manage_jury(user, edition)


def can_score(user, edition: Edition) -> bool:
    return is_juror(user, edition) and edition.jury_revealed_at is None


def can_see_jury_results(user, edition: Edition) -> bool:
    """Progress and totals for the national organisers; the totals, once revealed, for the
    jurors and the sites' organisers too."""
    if can_manage_jury(user, edition):
        return True
    if edition.jury_revealed_at is None:
        return False
    return is_juror(user, edition) or can_view_edition_room(user, edition)


def judges_team(user, team: Team) -> bool:
    """A juror of an edition that nominated this team (its consented photos are theirs to see)."""
    editions = _juror_editions(user)
    if not editions:
        return False
    return (
        db.session.scalar(
            select(Nomination.id).where(
                Nomination.team_id == team.id, Nomination.edition_id.in_(editions)
            )
        )
        is not None
    )


TEMPLATE_PREDICATES.update(
    is_juror=is_juror,
    sits_on_any_jury=sits_on_any_jury,
    can_manage_jury=can_manage_jury,
    can_nominate=can_nominate,
    can_score=can_score,
    can_read_nominees=can_read_nominees,
    can_see_jury_results=can_see_jury_results,
)
