"""The organiser's pages for challenge sheets."""

from typing import NamedTuple

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import bindparam, func, literal_column, select

from facilitate import policy
from facilitate.challenges import bp
from facilitate.challenges.forms import ChallengeForm, OwnerForm
from facilitate.challenges.management import (
    SheetData,
    add_owner,
    challenge_owners,
    create_challenge,
    delete_challenge,
    remove_owner,
    update_challenge,
    what_deleting_loses,
)
from facilitate.challenges.services import get_challenge_or_404
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_managed_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm, apply_list_action, list_action, refuse_list_action
from facilitate.models import (
    LIST_FIELDS,
    SHEET_FIELDS,
    Challenge,
    Event,
    Membership,
    Role,
    Team,
    Theme,
    User,
)
from facilitate.names import sort_people
from facilitate.pagination import row_urls
from facilitate.people.attendance import attendees_by_name


def _managed_challenge(slug: str, number: int) -> Challenge:
    challenge = get_challenge_or_404(slug, number)
    policy.require(policy.can_manage_event(current_user, challenge.event))
    return challenge


# The list's three statements, built once on the tables (see people.attendee_list).
_challenges, _themes, _teams = Challenge.__table__, Theme.__table__, Team.__table__
_memberships, _users = Membership.__table__, User.__table__
_EVENT_ID = bindparam("event_id")
# Only what the list shows: the sheets' lists (stakeholders, levers...) are JSON, and decoding
# them for 70 challenges took a tenth of the page.
_LIST = (
    select(
        _challenges.c.number,
        _challenges.c.question,
        _challenges.c.owner_organisation,
        _themes.c.name,
        _teams.c.id,
    )
    .select_from(_challenges)
    .outerjoin(_themes, _themes.c.id == _challenges.c.theme_id)
    .outerjoin(_teams, _teams.c.challenge_id == _challenges.c.id)
    .where(_challenges.c.event_id == _EVENT_ID)
    .order_by(_challenges.c.number)
)
# Grouped by ``team_id + 0``, not the column: with a platform's statistics SQLite walked every
# membership of the platform along the teams' index, for the order it groups in (6.5 ms with
# 10,000 attendees), rather than reading the event's range and sorting it (0.1 ms).
_TEAM = (_memberships.c.team_id + literal_column("0")).label("team_id")
_TEAM_SIZES = (
    select(_TEAM, func.count())
    .where(_memberships.c.event_id == _EVENT_ID, _memberships.c.role == Role.MEMBER)
    .group_by(_TEAM)
)
_OWNERS = (
    select(_memberships.c.team_id, _users.c.name)
    .join(_users, _users.c.id == _memberships.c.user_id)
    .where(_memberships.c.event_id == _EVENT_ID, _memberships.c.role == Role.CHALLENGE_OWNER)
    .order_by(_users.c.id)
)


class ChallengeRow(NamedTuple):
    number: int
    question: str
    owner_organisation: str | None
    theme: str | None
    owners: str  # the owners' names, "" for none
    members: str  # "12 members"
    which: str  # "challenge 3", after each button's word for screen readers


@bp.get("/events/<slug>/challenges/manage")
def manage(slug: str):
    """Every challenge of the event with its owners and team size: three queries, each word
    translated once a page and each address built once (``row_urls``), not once a row."""
    event = get_managed_event_or_404(slug)
    event_id = {"event_id": event.id}
    team_sizes = dict(db.session.execute(_TEAM_SIZES, event_id).all())
    owners: dict[int, list[str]] = {}
    for team_id, name in db.session.execute(_OWNERS, event_id):
        owners.setdefault(team_id, []).append(name)
    which, members = _("challenge %(number)d"), {}  # the patterns, filled in below
    challenges = []
    for number, question, organisation, theme, team_id in db.session.execute(_LIST, event_id):
        size = team_sizes.get(team_id, 0)
        if size not in members:
            members[size] = ngettext("%(num)d member", "%(num)d members", size)
        names = ", ".join(sort_people(owners.get(team_id, [])))
        challenges.append(
            ChallengeRow(
                number,
                question,
                organisation,
                theme,
                names,
                members[size],
                which % {"number": number},
            )
        )
    urls = {
        endpoint: row_urls(endpoint, "number", slug=slug)
        for endpoint in (
            "challenges.show",
            "challenges.edit",
            "printing.challenge_sheet",
            "challenges.delete",
        )
    }
    return render_template(
        "challenges/manage/list.html", event=event, challenges=challenges, urls=urls
    )


def _theme_choices(event: Event):
    return [(None, _("No theme"))] + [(t.id, t.name) for t in event.themes]


def _sheet_data(form: ChallengeForm) -> SheetData:
    return SheetData(
        number=form.number.data,
        theme_id=form.theme_id.data,
        **{name: form[name].data for name in SHEET_FIELDS},
    )


def _initial(challenge: Challenge) -> dict:
    data = {name: getattr(challenge, name) for name in SHEET_FIELDS}
    data.update(number=challenge.number, theme_id=challenge.theme_id)
    return data


def _sheet_form_page(event: Event, challenge: Challenge | None, **extra):
    """List buttons re-display the sheet unsaved; Save validates and writes."""

    def page(form, status=200):
        context = dict(form=form, event=event, challenge=challenge, **extra)
        return render_template("challenges/manage/form.html", **context), status

    if request.method == "GET":
        if challenge is not None:
            data = _initial(challenge)
        else:
            next_number = 1 + (
                db.session.scalar(
                    select(func.max(Challenge.number)).where(Challenge.event_id == event.id)
                )
                or 0
            )
            data = {"number": next_number, **{name: [""] for name in LIST_FIELDS}}
        form = ChallengeForm(data=data)
        form.theme_id.choices = _theme_choices(event)
        return page(form)

    form = ChallengeForm()
    form.theme_id.choices = _theme_choices(event)
    action = list_action()
    if action:
        data = form.data
        if apply_list_action(data, action, LIST_FIELDS, lambda _name: ""):
            form = ChallengeForm(formdata=None, data=data)
            form.theme_id.choices = _theme_choices(event)
            return page(form)
        refuse_list_action(form)
        return page(form, 400)
    if form.validate():
        try:
            if challenge is None:
                challenge = create_challenge(event, _sheet_data(form), current_user)
                message = _("Challenge %(number)d is created.", number=challenge.number)
            else:
                update_challenge(challenge, _sheet_data(form), current_user)
                message = _("Challenge %(number)d is saved.", number=challenge.number)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("challenges.manage", slug=event.slug), code=303)
    return page(form, 400)


@bp.route("/events/<slug>/challenges/new", methods=["GET", "POST"])
def new(slug: str):
    return _sheet_form_page(get_managed_event_or_404(slug), None)


@bp.route("/events/<slug>/challenges/<int:number>/edit", methods=["GET", "POST"])
def edit(slug: str, number: int):
    challenge = _managed_challenge(slug, number)
    return _sheet_form_page(
        challenge.event,
        challenge,
        owners=challenge_owners(challenge),
        owner_form=_owner_form(challenge),
    )


def _owner_form(challenge: Challenge, formdata=None) -> OwnerForm:
    current = {u.id for u in challenge_owners(challenge)}
    form = OwnerForm(formdata=formdata)
    form.user_id.choices = [(None, _("Choose an attendee"))] + [
        (a.id, f"{a.name} ({a.organisation})" if a.organisation else a.name)
        for a in attendees_by_name(challenge.event_id)
        if a.id not in current
    ]
    return form


@bp.post("/events/<slug>/challenges/<int:number>/owners")
def add_challenge_owner(slug: str, number: int):
    challenge = _managed_challenge(slug, number)
    form = _owner_form(challenge, formdata=request.form)
    if form.validate() and form.user_id.data is not None:
        user = db.session.get(User, form.user_id.data)
        try:
            add_owner(challenge, user, current_user)
        except DomainError as error:
            db.session.rollback()
            flash_at("owners", error.message, "error")
        else:
            db.session.commit()
            flash_at(
                "owners",
                _(
                    "%(name)s is now an owner of challenge %(number)d.",
                    name=user.name,
                    number=number,
                ),
            )
    else:
        flash_at("owners", _("Choose an attendee of the event."), "error")
    return redirect(url_for("challenges.edit", slug=slug, number=number) + "#owners", code=303)


@bp.post("/events/<slug>/challenges/<int:number>/owners/<int:user_id>/remove")
def remove_challenge_owner(slug: str, number: int, user_id: int):
    challenge = _managed_challenge(slug, number)
    user = db.session.get(User, user_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        remove_owner(challenge, user, current_user)
        db.session.commit()
        flash_at(
            "owners",
            _("%(name)s no longer owns challenge %(number)d.", name=user.name, number=number),
        )
    return redirect(url_for("challenges.edit", slug=slug, number=number) + "#owners", code=303)


@bp.route("/events/<slug>/challenges/<int:number>/delete", methods=["GET", "POST"])
def delete(slug: str, number: int):
    """Deleting asks first, saying what goes with the sheet; the history can undo it."""
    challenge = _managed_challenge(slug, number)
    form = ConfirmForm()
    if form.validate_on_submit():
        delete_challenge(challenge, current_user)
        db.session.commit()
        flash(
            _(
                "Challenge %(number)d is deleted. You can undo this from the history.",
                number=number,
            ),
            "success",
        )
        return redirect(url_for("challenges.manage", slug=slug), code=303)
    return render_template(
        "challenges/manage/delete.html",
        event=challenge.event,
        challenge=challenge,
        lost=what_deleting_loses(challenge),
        form=form,
    )
