"""The automatic placement's proposal as the page shows it, rendered once per event data
version (``dashboard/versions.py``), bounds, seed and language, not at every request.

The proposal depends only on the event's attendees, teams and challenges (and the bounds and
seed asked for); what the page shows of it, on those and the reader's language. Every write to
them changes the event's data version, so a proposal kept under that version is the one the
database gives: asking again for the same proposal (or the page sent back refused) reads no
roster and places nobody. Saving never trusts what is kept: it reads the rosters, places
afresh and compares the fingerprint (``teams.routes.placement``)."""

from typing import NamedTuple

from flask import render_template
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.kept import Kept, with_token, without_token
from facilitate.models import Event, User
from facilitate.names import collator, sort_people
from facilitate.security import generate_csrf
from facilitate.teams.placement import above_maximum, below_minimum, propose_placement
from facilitate.teams.rows import people_items
from facilitate.teams.services import Rosters, fingerprint, placement_inputs, rosters


class Shown(NamedTuple):
    fingerprint: str  # of what the proposal was made from (``services.fingerprint``)
    html: str  # the proposal's section, without its CSRF token (``kept.without_token``)


# Proposals (events × bounds × languages) kept in this process.
_shown: Kept[tuple, Shown] = Kept(32)


def settings_of(form) -> tuple:
    """What of the form the proposal is made from (``propose_placement``'s arguments)."""
    return form.min_size.data, form.max_size.data, form.keep_existing.data, form.seed_number


def proposal_section(event: Event, form) -> Markup:
    """The proposal's section for the bounds of ``form`` (validated), with this request's CSRF
    token; sets ``form.fingerprint`` to what it was made from."""
    key = (event.id, event.data_version, str(get_locale()), settings_of(form), form.seed.data)
    shown = _shown.get_or_make(key, lambda: _make(event, form))
    form.fingerprint.data = shown.fingerprint
    # The template's own output, escaped when it was rendered.
    return Markup(with_token(shown.html, escape(generate_csrf())))  # noqa: S704


def _make(event: Event, form) -> Shown:
    r = rosters(event)
    people, teams = placement_inputs(r)
    settings = settings_of(form)
    form.fingerprint.data = fingerprint(people, teams, *settings)
    min_size, max_size, keep_existing, seed = settings
    proposal = propose_placement(
        people, teams, min_size, max_size, keep_existing=keep_existing, seed=seed
    )
    moved = proposal.moved(people)
    new_tag = escape(_("new"))  # translated once, not once per person
    names = {u.id: u for roster in r.teams for u in roster.members} | {u.id: u for u in r.unplaced}
    proposed: dict[int, list[User]] = {roster.team.id: [] for roster in r.teams}
    for person_id, team_id in proposal.assignments.items():
        proposed[team_id].append(names[person_id])
    # By organisation, then in the name order the rosters were read in (not sorted again).
    rank = {u.id: position for position, u in enumerate(r.everyone)}
    collate = collator().getSortKey
    # One collation key per organisation (some tens), not one per person (1,050 in an edition).
    organisation_key = {o: collate(o or "") for o in {u.organisation for u in names.values()}}
    for members in proposed.values():
        members.sort(key=lambda u: (organisation_key[u.organisation], rank[u.id]))
    html = render_template(
        "teams/_proposal.html",
        form=form,
        rosters=r,
        people_items={
            team_id: people_items(members, moved, new_tag) for team_id, members in proposed.items()
        },
        headings=_headings(r, proposed),
        moved=moved,
        below=set(below_minimum(proposal, min_size)),
        above=set(above_maximum(proposal, max_size)),
        names=names,
        unplaced=sort_people(
            proposal.unplaced,
            key=lambda row: names[row[0]].name,
            family=lambda row: names[row[0]].family_name,
        ),
    )
    return Shown(form.fingerprint.data, without_token(html, str(escape(generate_csrf()))))


def _headings(r: Rosters, proposed) -> dict[int, str]:
    """Each team's card title, "Challenge 3 · 15 members": the messages looked up once per page
    and once per team size, not twice per team (20 µs a look-up, 70 teams in an edition)."""
    challenge = _("Challenge %(number)d")  # the pattern, filled in below
    members: dict[int, str] = {}
    headings = {}
    for roster in r.teams:
        size = len(proposed[roster.team.id])
        if size not in members:
            members[size] = ngettext("%(num)d member", "%(num)d members", size)
        number = challenge % {"number": roster.challenge.number}
        headings[roster.team.id] = f"{number} · {members[size]}"
    return headings
