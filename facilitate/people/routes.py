"""The organiser's pages for attendees."""

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitate import policy
from facilitate.auth.codes import format_access_code
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_managed_event_or_404
from facilitate.extensions import db
from facilitate.forms import ConfirmForm
from facilitate.models import Event, Membership, Role
from facilitate.pagination import paginate, row_urls
from facilitate.people import bp
from facilitate.people.attendance import account_managed_by_event
from facilitate.people.attendee_list import (
    NO_TEAM,
    EventTeam,
    Filters,
    attendee_rows,
    event_teams,
    found_by_email,
    select_attendees,
    team_labels,
    with_emails,
)
from facilitate.people.forms import AttendeeForm, AttendeeListForm
from facilitate.people.management import (
    TEAM_ROLES,
    AttendeeDetails,
    add_attendee,
    regenerate_code,
    remove_attendee,
    revoke_code,
    team_role_of,
    update_attendee,
)
from facilitate.people.row_addresses import escaped_addresses


def get_attendance_or_404(event: Event, user_id: int) -> Membership:
    """The person's attendance at this event, with their account: a person of another event,
    or one removed from this one or erased, is not found."""
    attendance = db.session.scalar(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(
            Membership.user_id == user_id,
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.erased_at.is_(None),
        )
    )
    if attendance is None:
        abort(404)
    return attendance


def team_choices(event: Event, teams: list[EventTeam] | None = None):
    """Teams as organisers name them: by challenge number and question."""
    teams = event_teams(event) if teams is None else teams
    return [(None, _("No team")), *zip((t.id for t in teams), team_labels(teams), strict=True)]


@bp.get("/events/<slug>/people")
def manage(slug: str):
    """The attendees, 50 a page, searched, filtered and ordered as asked: seven queries whatever
    their number (user, event, roles, teams, team roles, attendances, the page's emails; one
    more to search emails; see ``people.attendee_list``). A value of the query string the list
    does not know is set aside with a message (400), the list shown without it."""
    event = get_managed_event_or_404(slug)
    teams = event_teams(event)
    form = AttendeeListForm(request.args)
    form.team.choices = [
        ("", _("Every team")),
        (NO_TEAM, _("No team")),
        *zip((str(t.number) for t in teams), team_labels(teams), strict=True),
    ]
    understood = form.read()
    rows = attendee_rows(event, teams)
    filters = Filters(**{f.name: (f.data or "").strip() for f in form})
    by_email = found_by_email(event, filters.q) if filters.q else frozenset()
    page = paginate(select_attendees(rows, filters, by_email), form.args())
    page = replace(page, items=with_emails(page.items))
    return render_template(
        "people/list.html",
        event=event,
        form=form,
        page=page,
        rows=_rows(event, page.items),
        total=len(rows),
        filtered=bool(set(form.args()) - {"sort"}),
    ), (200 if understood else 400)


def _rows(event: Event, people: list) -> Markup:
    """The page's rows of the attendee table, written here rather than by a loop in the
    template (fifty rows of seven cells and three links cost the page 2 ms there): each word
    translated once a page, each address built once a page (``row_urls``)."""
    words = {
        w: escape(text)
        for w, text in (
            ("participant", _("Participant")),
            ("none", _("none")),
            ("yes", _("yes")),
            ("printed", _("printed")),
            ("not_yet", _("not yet")),
            ("edit", _("Edit")),
            ("remove", _("Remove")),
            ("erase", _("Erase")),
            ("erased", _("Erased person")),
        )
    }
    roles = {role: escape(role.label) for role in TEAM_ROLES}
    challenge = _("Challenge %(number)d")  # the pattern, filled in below
    nothing = f'<span class="notice">{words["none"]}</span>'
    links = [
        (escaped_addresses(row_urls(endpoint, "user_id", slug=event.slug)), css, words[word])
        for endpoint, css, word in (
            ("people.edit", "button--secondary", "edit"),
            ("people.remove", "button--danger", "remove"),
            ("privacy.erase", "button--danger", "erase"),
        )
    ]
    if not policy.can_erase_attendees(current_user, event):
        links.pop()
    erased = (
        f'<tr>\n<td><span class="notice">{words["erased"]}</span></td>\n<td></td>\n'
        f"<td>{words['participant']}</td>\n<td>{nothing}</td>\n<td>{words['none']}</td>\n"
        "<td></td>\n<td></td>\n</tr>"
    )
    rows = []
    for person in people:
        if person.erased:
            rows.append(erased)
            continue
        name = escape(person.name)
        email = (
            f'<br><span class="card__meta">{escape(person.email)}</span>' if person.email else ""
        )
        role = roles[person.role] if person.role else words["participant"]
        team = escape(challenge % {"number": person.team_number}) if person.team_number else nothing
        actions = "\n".join(
            f'<a class="button button--small {css}" href="{url(person.id)}">{word}'
            f'<span class="visually-hidden"> {name}</span></a>'
            for url, css, word in links
        )
        rows.append(
            f"<tr>\n<td>{name}{email}</td>\n<td>{escape(person.organisation or '')}</td>\n"
            f"<td>{role}</td>\n<td>{team}</td>\n"
            f"<td>{words['yes'] if person.has_code else words['none']}</td>\n"
            f"<td>{words['printed'] if person.badge_printed else words['not_yet']}</td>\n"
            f'<td class="table__actions">\n{actions}\n</td>\n</tr>'
        )
    return Markup("\n".join(rows))  # noqa: S704  (every value escaped above)


def _details(form: AttendeeForm) -> AttendeeDetails:
    return AttendeeDetails(
        name=form.name.data,
        email=form.email.data,
        organisation=form.organisation.data,
        role=Role(form.role.data),
        team_id=form.team_id.data,
    )


def _attendee_form_page(event: Event, attendance: Membership | None):
    user = attendance.user if attendance is not None else None
    email_locked = user is not None and not account_managed_by_event(event, user)
    if request.method == "GET" and user is not None:
        role, team_id = team_role_of(event, user)
        form = AttendeeForm(
            name=attendance.name,
            email=user.email,
            organisation=attendance.organisation,
            role=role.value,
            team_id=team_id,
        )
    else:
        form = AttendeeForm()
    if email_locked:
        # The account's own: shown, never taken from the form (see update_attendee).
        form.email.data = user.email
        form.email.description = _(
            "This address belongs to the person's own account: only they can change it. "
            "The name and organisation here are this event's own."
        )
    form.team_id.choices = team_choices(event)
    if request.method == "POST" and form.validate():
        try:
            if user is None:
                user = add_attendee(event, _details(form), current_user)
                message = _("%(name)s is added to the event.", name=user.name)
            else:
                update_attendee(event, user, _details(form), current_user)
                message = _("Changes to %(name)s are saved.", name=user.name)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("people.manage", slug=event.slug), code=303)
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "people/form.html",
        event=event,
        person=user,
        attendance=attendance,
        email_locked=email_locked,
        form=form,
    )
    return page, status


@bp.route("/events/<slug>/people/new", methods=["GET", "POST"])
def new(slug: str):
    return _attendee_form_page(get_managed_event_or_404(slug), None)


@bp.route("/events/<slug>/people/<int:user_id>/edit", methods=["GET", "POST"])
def edit(slug: str, user_id: int):
    event = get_managed_event_or_404(slug)
    return _attendee_form_page(event, get_attendance_or_404(event, user_id))


@bp.route("/events/<slug>/people/<int:user_id>/remove", methods=["GET", "POST"])
def remove(slug: str, user_id: int):
    event = get_managed_event_or_404(slug)
    attendance = get_attendance_or_404(event, user_id)
    name = attendance.name
    form = ConfirmForm()
    if form.validate_on_submit():
        remove_attendee(event, attendance.user, current_user)
        db.session.commit()
        flash(
            _("%(name)s is removed from the event. You can undo this from the history.", name=name),
            "success",
        )
        return redirect(url_for("people.manage", slug=slug), code=303)
    return render_template(
        "people/remove.html", event=event, person=attendance.user, attendance=attendance, form=form
    )


@bp.post("/events/<slug>/people/<int:user_id>/code")
def new_code(slug: str, user_id: int):
    event = get_managed_event_or_404(slug)
    attendance = get_attendance_or_404(event, user_id)
    if ConfirmForm().validate_on_submit():
        code = regenerate_code(event, attendance, current_user)
        db.session.commit()
        flash(
            _(
                "New access code for %(name)s: %(code)s. The old one no longer works.",
                name=attendance.name,
                code=format_access_code(code),
            ),
            "success",
        )
    return redirect(url_for("people.edit", slug=slug, user_id=user_id), code=303)


@bp.route("/events/<slug>/people/<int:user_id>/revoke", methods=["GET", "POST"])
def revoke(slug: str, user_id: int):
    """Revoking signs the person out at once: it asks first."""
    event = get_managed_event_or_404(slug)
    attendance = get_attendance_or_404(event, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        revoke_code(event, attendance, current_user)
        db.session.commit()
        flash(_("The access code of %(name)s no longer works.", name=attendance.name), "success")
        return redirect(url_for("people.edit", slug=slug, user_id=user_id), code=303)
    return render_template(
        "people/revoke.html", event=event, person=attendance.user, attendance=attendance, form=form
    )
