"""Teams: the organiser's overview with placement by hand, the automatic placement, and each
team's page."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import escape

from facilitate import policy
from facilitate.challenges.services import get_challenge_or_404
from facilitate.events.services import get_managed_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.pagination import paginate, row_urls
from facilitate.people.routes import get_attendance_or_404, team_choices
from facilitate.security import generate_csrf
from facilitate.teams import bp
from facilitate.teams.forms import PlaceForm, PlacementForm, TeamListForm
from facilitate.teams.overview import (
    NO_THEME,
    TEAMS_PER_PAGE,
    TeamFilters,
    overview,
    select_teams,
    sort_shown,
)
from facilitate.teams.placement import propose_placement
from facilitate.teams.proposal_page import proposal_section, settings_of
from facilitate.teams.rows import member_items, team_options, unplaced_items
from facilitate.teams.services import (
    fingerprint,
    place_member,
    placement_inputs,
    rosters,
    save_placement,
    team_of_event,
    team_roster,
)

# The query string of the teams page that placing or taking out someone keeps, so that the
# organiser comes back to the same page of the same list.
LIST_ARGS = ("q", "theme", "stage", "facilitator", "sort", "page", "unplaced_page")


def _list_args() -> dict[str, str]:
    return {k: v[:200] for k, v in request.args.items() if k in LIST_ARGS}


def _back_to_list(slug: str, anchor: str):
    return redirect(url_for("teams.manage", slug=slug, **_list_args()) + anchor, code=303)


@bp.get("/events/<slug>/teams")
def manage(slug: str):
    """The teams 20 a page, searched, filtered and ordered as asked, and the attendees without
    a team 50 a page: seven queries whatever the size (see ``teams.overview``). A value of the
    query string the page does not know is set aside with a message (400)."""
    event = get_managed_event_or_404(slug)
    found = overview(event)
    form = TeamListForm(request.args)
    form.theme.choices = [("", _("Every theme")), (NO_THEME, _("No theme"))] + [
        (str(theme_id), name) for theme_id, name in found.themes
    ]
    understood = form.read()
    filters = TeamFilters(**{f.name: (f.data or "").strip() for f in form})
    teams = paginate(select_teams(found.teams, filters), form.args(), per_page=TEAMS_PER_PAGE)
    unplaced = sort_shown(teams.items, found.unplaced)
    unplace_url = row_urls("teams.unplace", "user_id", _list_args(), slug=slug)
    take_out = escape(_("Take out of the team"))  # translated once, not once per person
    unplaced = paginate(unplaced, param="unplaced_page")
    return render_template(
        "teams/manage.html",
        event=event,
        list_form=form,
        teams=teams,
        team_count=len(found.teams),
        filtered=bool(set(form.args()) - {"sort"}),
        unplaced=unplaced,
        # Each attendee without a team with the select of the teams to place them in.
        unplaced_items=unplaced.items
        and unplaced_items(
            unplaced.items,
            row_urls("teams.place", "user_id", _list_args(), slug=slug),
            generate_csrf(),
            team_options(team_choices(event, found.choices)[1:]),
        ),
        team_url=row_urls("teams.show", "number", slug=slug),
        card_words=_card_words(teams.items),
        member_items={t.id: member_items(t.members, unplace_url, take_out) for t in teams.items},
        names={
            t.id: (_names(t.facilitators), _names(t.owners))
            for t in teams.items
            if t.facilitators or t.owners
        },
    ), (200 if understood else 400)


def _card_words(cards) -> dict[int, tuple[str, str]]:
    """Each team card's "Challenge 3" and "12 members · Ideation · Theme": the messages looked
    up once a page, and once per team size and stage, not three times per team."""
    challenge = _("Challenge %(number)d")  # the pattern, filled in below
    sizes: dict[int, str] = {}
    stages: dict = {}
    words = {}
    for card in cards:
        size = len(card.members)
        if size not in sizes:
            sizes[size] = ngettext("%(num)d member", "%(num)d members", size)
        if card.stage not in stages:
            stages[card.stage] = str(card.stage.label)
        meta = f"{sizes[size]} · {stages[card.stage]}"
        words[card.id] = (
            challenge % {"number": card.number},
            f"{meta} · {card.theme}" if card.theme else meta,
        )
    return words


def _names(people) -> str:
    """The facilitators or challenge owners of a team: "Name (Organisation), Name"."""
    return ", ".join(
        f"{person.name} ({person.organisation})" if person.organisation else person.name
        for person in people
    )


@bp.post("/events/<slug>/teams/place/<int:user_id>")
def place(slug: str, user_id: int):
    event = get_managed_event_or_404(slug)
    attendance = get_attendance_or_404(event, user_id)
    form = PlaceForm()
    form.team_id.choices = team_choices(event)[1:]  # a team is required: taking out is unplace
    if form.validate_on_submit():
        team = team_of_event(event, form.team_id.data)
        place_member(event, attendance, team, current_user)
        db.session.commit()
        flash_at(
            "unplaced-title",
            _(
                "%(name)s is placed in the team of challenge %(number)d.",
                name=attendance.name,
                number=team.challenge.number,
            ),
        )
    else:
        flash_at("unplaced-title", _("Choose a team."), "error")
    return _back_to_list(slug, "#unplaced-title")


@bp.post("/events/<slug>/teams/unplace/<int:user_id>")
def unplace(slug: str, user_id: int):
    event = get_managed_event_or_404(slug)
    attendance = get_attendance_or_404(event, user_id)
    if ConfirmForm().validate_on_submit():
        place_member(event, attendance, None, current_user)
        db.session.commit()
        flash_at("teams-title", _("%(name)s is no longer in a team.", name=attendance.name))
    return _back_to_list(slug, "#teams-title")


@bp.route("/events/<slug>/teams/placement", methods=["GET", "POST"])
def placement(slug: str):
    """Propose, review, save: the proposal is recomputed from the same inputs and seed on save,
    and refused if the attendees or teams changed in between."""
    event = get_managed_event_or_404(slug)
    form = PlacementForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template(
            "teams/placement.html", event=event, form=form, proposal=None
        ), status

    if request.form.get("save"):
        r = rosters(event)
        people, teams = placement_inputs(r)
        settings = settings_of(form)
        if form.fingerprint.data != fingerprint(people, teams, *settings):
            flash(
                _(
                    "The bounds, attendees or teams changed since this proposal was made: review the new proposal below before saving it."
                ),
                "error",
            )
        else:
            min_size, max_size, keep_existing, seed = settings
            proposal = propose_placement(
                people, teams, min_size, max_size, keep_existing=keep_existing, seed=seed
            )
            moved = save_placement(event, people, proposal, current_user)
            db.session.commit()
            flash(ngettext_placed(moved), "success")
            return redirect(url_for("teams.manage", slug=slug), code=303)
    return render_template(
        "teams/placement.html",
        event=event,
        form=form,
        proposal=proposal_section(event, form),
    )


def ngettext_placed(moved: int) -> str:
    return ngettext(
        "Placement saved: %(num)d person changed team.",
        "Placement saved: %(num)d people changed team.",
        moved,
    )


@bp.get("/events/<slug>/challenges/<int:number>/team")
def show(slug: str, number: int):
    challenge = get_challenge_or_404(slug, number)
    event = challenge.event
    policy.require(policy.can_see_people(current_user, event))
    roster = team_roster(challenge)
    return render_template("teams/team.html", event=event, roster=roster)
