"""The rows of the programme's day tables (public page, a room's page, the organiser's page),
written here rather than by a loop in ``_days.html``: a day of thirty sessions cost the page
some 3 ms there. Each word is translated once a page, each address built once a page
(``row_urls``), and every value written is escaped."""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.i18n import local_time
from facilitate.models import Event, ProgrammeSession
from facilitate.pagination import row_urls
from facilitate.programme.screen import iso


class SessionRows:
    """``{% set session_rows = programme_rows(event, manage, clashes, show_room) %}`` once a
    page, then ``{{ session_rows(day.sessions) }}`` for each day's ``<tbody>``."""

    def __init__(self, event: Event, manage: bool, clashes: dict, show_room: bool):
        self.event, self.manage, self.clashes, self.show_room = event, manage, clashes, show_room
        self.time_word, self.session_word, self.room_word = (
            escape(_("Time")),
            escape(_("Session")),
            escape(_("Room")),
        )
        self.edit_word, self.delete_word = escape(_("Edit")), escape(_("Delete"))
        slug = event.slug
        self.session_url = row_urls("programme.session", "session_id", slug=slug)
        self.edit_url = row_urls("programme.edit", "session_id", slug=slug)
        self.delete_url = row_urls("programme.delete", "session_id", slug=slug)
        self.room_urls: dict[str, str] = {}

    def _room_url(self, room: str) -> str:
        url = self.room_urls.get(room)
        if url is None:
            url = self.room_urls[room] = url_for("programme.room", slug=self.event.slug, name=room)
        return url

    def _notes(self, s: ProgrammeSession) -> str:
        notes = []
        if s.speakers:
            notes.append(f'<br><span class="card__meta">{escape(s.speakers)}</span>')
        if s.team:
            team = _("For the team of challenge %(number)d", number=s.team.challenge.number)
            notes.append(f'<br><span class="card__meta">{escape(team)}</span>')
        if s.stage:
            stage = _("Start of the %(stage)s stage", stage=str(s.stage.label).lower())
            notes.append(f'<br><span class="card__meta">{escape(stage)}</span>')
        if self.manage and self.clashes.get(s.id):
            titles = ", ".join(other.title for other in self.clashes[s.id])
            clash = _("Overlaps in the same room: %(titles)s", titles=titles)
            notes.append(f'<p class="flash flash--warning programme-clash">{escape(clash)}</p>')
        return "\n".join(notes)

    def _row(self, s: ProgrammeSession, zone: str) -> str:
        start, end = iso(s.starts_at), iso(s.ends_at)
        title = escape(s.title)
        cells = [
            f'<td data-label="{self.time_word}" class="programme-table__time">\n'
            f'<time datetime="{start}">{escape(local_time(s.starts_at, zone, "time"))}</time> – '
            f'<time datetime="{end}">{escape(local_time(s.ends_at, zone, "time"))}</time>\n'
            f'<span class="programme-table__viewer" data-viewer-time data-start="{start}" '
            f'data-end="{end}" hidden></span>\n</td>',
            f'<td data-label="{self.session_word}">\n'
            f'<span class="programme-kind">{escape(s.kind.label)}</span>\n'
            f'<a class="programme-table__title" href="{escape(self.session_url(s.id))}">{title}</a>'
            f"\n{self._notes(s)}\n</td>",
        ]
        if self.show_room:
            room = (
                f'<a href="{escape(self._room_url(s.room))}">{escape(s.room)}</a>' if s.room else ""
            )
            cells.append(f'<td data-label="{self.room_word}">{room}</td>')
        if self.manage:
            hidden = f'<span class="visually-hidden"> {title}</span>'
            cells.append(
                '<td class="table__actions">\n'
                f'<a class="button button--small button--secondary" '
                f'href="{escape(self.edit_url(s.id))}">{self.edit_word}{hidden}</a>\n'
                f'<a class="button button--small button--danger" '
                f'href="{escape(self.delete_url(s.id))}">{self.delete_word}{hidden}</a>\n</td>'
            )
        kind = escape(s.kind.value)
        return (
            f'<tr id="session-{s.id}" class="programme-table__row programme-table__row--{kind}">\n'
            + "\n".join(cells)
            + "\n</tr>"
        )

    def __call__(self, sessions: list[ProgrammeSession]) -> Markup:
        zone = self.event.timezone
        return Markup("\n".join(self._row(s, zone) for s in sessions))  # noqa: S704  (escaped above)


def programme_rows(
    event: Event, manage: bool = False, clashes: dict | None = None, show_room: bool = True
) -> SessionRows:
    return SessionRows(event, manage, clashes or {}, show_room)
