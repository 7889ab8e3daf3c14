"""How each recorded change reads on the history pages (an event's, an edition's), in the
reader's language."""

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from facilitate.models import AuditEntry, EditionAuditEntry, FollowUpStatus, Stage

MESSAGES = {
    "event.created": _l("created the event “%(name)s”"),
    "event.updated": _l("changed the event: %(fields)s"),
    "event.cloned": _l("created this event as a copy of “%(source)s” (challenges: %(challenges)d)"),
    "event.copied": _l("copied this event into “%(copy)s”"),
    "team.shown_on_showcase": _l("put the team of challenge %(number)d on the public showcase"),
    "team.hidden_from_showcase": _l(
        "took the team of challenge %(number)d off the public showcase"
    ),
    "photo.made_public": _l(
        "recorded that the people pictured in photo %(photo)d of the team of challenge %(number)d agreed to it being public"
    ),
    "photo.kept_within_event": _l(
        "kept photo %(photo)d of the team of challenge %(number)d within the event, off the public showcase"
    ),
    "edition.site_created": _l("created this event as a site of the edition “%(edition)s”"),
    "edition.site_attached": _l("made this event a site of the edition “%(edition)s”"),
    "edition.site_detached": _l("took this event out of the edition “%(edition)s”"),
    "challenge.created": _l("created challenge %(number)d"),
    "challenge.updated": _l("changed challenge %(number)d: %(fields)s"),
    "challenge.deleted": _l("deleted challenge %(number)d"),
    "challenge.restored": _l("restored challenge %(number)d"),
    "challenge.owner_added": _l("made %(name)s an owner of challenge %(number)d"),
    "challenge.owner_removed": _l("removed %(name)s from the owners of challenge %(number)d"),
    "challenges.imported": _l("imported challenges (new: %(created)d, updated: %(updated)d)"),
    "attendees.imported": _l(
        "imported attendees (new: %(created)d, already known: %(updated)d, placed in a team: %(placed)d)"
    ),
    "attendee.added": _l("added %(name)s"),
    "attendee.updated": _l("changed %(name)s: %(fields)s"),
    "attendee.removed": _l("removed %(name)s from the event"),
    "attendee.restored": _l("brought %(name)s back to the event"),
    "attendee.placed": _l("placed %(name)s in the team of challenge %(number)s"),
    "attendee.unplaced": _l("took %(name)s out of their team"),
    "code.regenerated": _l("gave %(name)s a new access code"),
    "code.revoked": _l("revoked the access code of %(name)s"),
    "codes.issued": _l("issued access codes (%(count)d)"),
    "codes.reissued_by_upgrade": _l(
        "gave a new access code for this event to the people whose former code now opens another "
        "event only (%(count)d): reprint their badges"
    ),
    "placement.saved": _l("saved an automatic placement (people placed: %(moved)d)"),
    "event.stage_moved": _l("moved the event from stage %(from)s to stage %(to)s"),
    "vote.opened": _l("opened the vote"),
    "vote.closed": _l("closed the vote"),
    "vote.reopened": _l("reopened the vote"),
    "vote.revealed": _l("revealed the results of the vote"),
    "jury.nominated": _l("nominated the team of challenge %(number)d for the national jury"),
    "jury.withdrawn": _l("withdrew the nomination of the team of challenge %(number)d"),
    "vote.settings_changed": _l("changed the vote's settings: %(fields)s"),
    "stands.changed": _l("changed stands (stands changed: %(count)d)"),
    "badges.printed": _l("marked badges as printed (%(count)d)"),
    "posters.printed": _l("marked posters as printed (%(count)d)"),
    "invitation.created": _l("invited %(email)s as %(role)s"),
    "invitation.refreshed": _l("issued a fresh invitation link for %(email)s"),
    "invitation.cancelled": _l("cancelled the invitation of %(email)s"),
    "invitation.accepted": _l("accepted the invitation as %(role)s"),
    "organiser.removed": _l("removed %(name)s from the organisers"),
    "attendee.erased": _l(
        "erased the personal data of an attendee (name, organisation, access code)"
    ),
    "event.purged": _l("purged the event's personal data (attendees erased: %(count)d)"),
    "data.downloaded": _l("downloaded their own data"),
    "privacy.notice_updated": _l("changed the privacy notice: %(fields)s"),
    "session.created": _l("added “%(title)s” to the programme"),
    "session.updated": _l("changed “%(title)s” in the programme: %(fields)s"),
    "session.deleted": _l("deleted “%(title)s” from the programme"),
    "programme.imported": _l("imported the programme (new: %(created)d, updated: %(updated)d)"),
    "announcement.posted": _l("showed an announcement on the screens: “%(text)s”"),
    "announcement.dismissed": _l("took down the announcement “%(text)s”"),
    "resource.created": _l("added the resource “%(title)s” (%(group)s)"),
    "resource.updated": _l("changed the resource “%(title)s” (%(group)s)"),
    "resource.deleted": _l("deleted the resource “%(title)s” (%(group)s)"),
    "debrief.opened": _l("opened the debrief questionnaire"),
    "debrief.closed": _l("closed the debrief questionnaire"),
    "debrief.parts_changed": _l("changed the parts the debrief asks about"),
    "followup.changed": _l(
        "changed the follow-up of challenge %(number)d: %(status)s, %(progress)d%% done"
    ),
}

# What the history says instead of the name or email of an erased person.
ERASED_PERSON = _l("an erased person")

# What an invitation was for, as the history says it.
ROLE_PHRASES = {
    "organiser": _l("co-organiser"),
    "facilitator": _l("facilitator"),
    "challenge_owner": _l("challenge owner"),
}

FIELD_LABELS = {
    "name": _l("name"),
    "slug": _l("identifier"),
    "venue": _l("venue"),
    "timezone": _l("time zone"),
    "starts_at": _l("start"),
    "ends_at": _l("end"),
    "description": _l("description"),
    "themes": _l("themes"),
    "schedule": _l("schedule"),
    "number": _l("number"),
    "question": _l("question"),
    "theme_id": _l("theme"),
    "owner_organisation": _l("owner"),
    "project_name": _l("project"),
    "territory": _l("territory"),
    "stakes": _l("stakes"),
    "stakeholders": _l("stakeholders"),
    "users": _l("users"),
    "obstacles": _l("obstacles"),
    "levers": _l("levers"),
    "info_url": _l("link"),
    "email": _l("email"),
    "organisation": _l("organisation"),
    "roles": _l("roles"),
    "votes_per_participant": _l("votes per participant"),
    "own_team_votes_allowed": _l("votes for one's own team"),
    "controller": _l("who is responsible"),
    "contact_email": _l("contact email"),
    "retention_months": _l("retention"),
    "details": _l("details"),
    "kind": _l("kind"),
    "title": _l("title"),
    "room": _l("room"),
    "speakers": _l("speakers"),
    "stage": _l("stage"),
    "team_id": _l("team"),
}

# Deletions the history can undo, and the service that does it (see audit.routes).
UNDOABLE = {"challenge.deleted", "attendee.removed"}


def describe(entry: AuditEntry) -> str:
    message = MESSAGES.get(entry.action)
    if message is None:
        return entry.action
    values = {k: v for k, v in entry.details.items() if k != "snapshot"}
    if values.get("erased"):
        values["name"] = values["email"] = str(ERASED_PERSON)
    for key in ("from", "to"):
        if key in values and values[key] in {s.value for s in Stage}:
            values[key] = str(Stage(values[key]).label)
    if entry.action == "followup.changed" and values.get("status") in set(FollowUpStatus):
        values["status"] = str(FollowUpStatus(values["status"]).label)
    if values.get("role") in ROLE_PHRASES:
        values["role"] = str(ROLE_PHRASES[values["role"]])
    if "fields" in values:
        values["fields"] = ", ".join(str(FIELD_LABELS.get(f, f)) for f in values["fields"])
    try:
        return str(message) % values
    except (KeyError, TypeError, ValueError):
        return str(message).split(":")[0]


# --- An edition's history (``record_edition``) -------------------------------------------------

EDITION_MESSAGES = {
    "edition.created": _l("created the edition “%(name)s” (%(year)d)"),
    "edition.updated": _l("changed the edition: %(fields)s"),
    "national.appointed": _l("appointed %(name)s as a national organiser"),
    "national.removed": _l("removed %(name)s from the national organisers"),
    "national.left": _l("stopped being a national organiser of the edition"),
    "site.created": _l("created the site “%(site)s”"),
    "site.attached": _l("made the event “%(site)s” a site of the edition"),
    "site.detached": _l("took the site “%(site)s” out of the edition"),
    "workbook.imported": _l("imported the edition’s workbook: %(sites)s"),
    "workbook.imported_nothing": _l("imported the edition’s workbook (no line for any site)"),
    "jury.criterion_added": _l("added the criterion “%(name)s” to the jury’s rubric"),
    "jury.criterion_renamed": _l("renamed the jury criterion “%(previous)s” to “%(name)s”"),
    "jury.criterion_moved": _l("moved the jury criterion “%(name)s” to position %(position)d"),
    "jury.criterion_renamed_and_moved": _l(
        "renamed the jury criterion “%(previous)s” to “%(name)s” and moved it to position "
        "%(position)d"
    ),
    "jury.criterion_removed": _l("removed the criterion “%(name)s” from the jury’s rubric"),
    "juror.appointed": _l("appointed %(name)s to the jury"),
    "juror.removed": _l("removed %(name)s from the jury"),
    "jury.revealed": _l("revealed the jury’s results"),
}

# One site's lines in a workbook import, as the history lists them.
WORKBOOK_SITE = _l("%(site)s (challenge lines: %(challenges)d, attendee lines: %(attendees)d)")

EDITION_FIELD_LABELS = {
    "name": _l("name"),
    "year": _l("year"),
    "description": _l("description"),
}


def _edition_message(entry: EditionAuditEntry, values: dict) -> str:
    """The message's key: most actions have one; a few read better told apart by details."""
    action = entry.action
    left = entry.actor_id is not None and values.get("user_id") == entry.actor_id
    if action == "national.removed" and left:
        return "national.left"
    if action == "workbook.imported" and not values.get("sites"):
        return "workbook.imported_nothing"
    if action == "jury.criterion_changed":
        renamed, moved = "previous" in values, "position" in values
        return (
            "jury.criterion_renamed_and_moved"
            if renamed and moved
            else "jury.criterion_renamed"
            if renamed
            else "jury.criterion_moved"
        )
    return action


def describe_edition(entry: EditionAuditEntry) -> str:
    """What the national organiser did, after their name: "appointed Alex Martin to the jury"."""
    values = dict(entry.details or {})
    message = EDITION_MESSAGES.get(_edition_message(entry, values))
    if message is None:
        return entry.action
    if values.get("erased"):
        values["name"] = str(ERASED_PERSON)
    if "fields" in values:
        values["fields"] = ", ".join(str(EDITION_FIELD_LABELS.get(f, f)) for f in values["fields"])
    try:
        if isinstance(values.get("sites"), list):
            sites = [str(WORKBOOK_SITE) % site for site in values["sites"]]
            values["sites"] = format_list(sites, locale=get_locale())
        return str(message) % values
    except (KeyError, TypeError, ValueError):
        return str(message).split(":")[0]
