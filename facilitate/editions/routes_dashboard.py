"""The national dashboard of an edition, and the poll that keeps it live (the site dashboard's
script, dashboard.js, polls it the same way: 304 while nothing shown has changed)."""

from flask import abort, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from facilitate import policy
from facilitate.auth.services import password_session, polled_password_session
from facilitate.dashboard.services import STAGES, now, rendered_once
from facilitate.editions import bp
from facilitate.editions.access import edition_or_404
from facilitate.editions.dashboard import Polled, edition_etag, edition_progress, polled_edition
from facilitate.editions.routes import edition_for_reading
from facilitate.models import Edition

PARIS = "Europe/Paris"
POLL_HEADERS = {"Cache-Control": "no-cache, private"}


def _sites_fragment(edition: Edition) -> str:
    text = {
        "challenge": _("Challenge %(number)d"),
        "progress": _("%(done)d of %(total)d done"),
        "stages": {stage: str(stage.label) for stage in STAGES},
    }
    return render_template(
        "editions/_sites.html",
        edition=edition,
        sites=edition_progress(edition),
        text=text,
        now=now(),
    )


def _once(kind: str, edition: Edition, etag: str, render) -> str:
    """The fragment under this ETag, rendered once in this process in each minute (as a site's
    teams table is, ``rendered_once``): the ETag says all it is made of but the sites' local
    times, which are shown to the minute."""
    minute = now().strftime("%Y%m%d%H%M")
    return rendered_once(edition.id, f"{kind}-{etag}-{minute}", lambda: render(edition))


def _screen(edition: Edition, page: str, kind: str, render) -> str:
    """The national dashboard or room screen (``editions/<page>.html``), its sites' figures
    rendered once per ETag and minute (``_once``), polled at ``editions.<page>_sites``."""
    etag = edition_etag(edition)
    fragment = _once(kind, edition, etag, render)
    return render_template(
        f"editions/{page}.html",
        edition=edition,
        etag=etag,
        fragment=Markup(fragment),  # noqa: S704  (our own template, autoescaped)
        fragment_url=url_for(f"editions.{page}_sites", edition_id=edition.id),
        paris=PARIS,
        now=now(),
    )


@bp.get("/editions/<int:edition_id>/dashboard")
def dashboard(edition_id: int):
    return _screen(edition_for_reading(edition_id), "dashboard", "sites", _sites_fragment)


@bp.get("/editions/<int:edition_id>/dashboard/sites")
def dashboard_sites(edition_id: int):
    """Every site's figures alone: 304 while the sites' versions, their ballots and the
    reader's language are the ones the client has."""
    return _polled(edition_id, edition_for_reading, "sites", _sites_fragment)


def _polled(edition_id: int, read, kind: str, render):
    """304 while the client has this ETag; the fragment otherwise, under its ETag. A national
    organiser's poll that finds nothing new reads one row set, the person's role and password
    session with it, and builds neither a ``User`` nor an ``Edition`` (``_reader_polled``);
    anyone else's is checked by ``read`` (the page's own policy) first."""
    polled, runs = _reader_polled(edition_id)
    if not polled.found:
        abort(404)
    edition = None if runs else read(edition_id)
    if request.if_none_match.contains_weak(polled.etag):
        response = current_app.response_class(status=304)
    else:
        response = make_response(_once(kind, edition or read(edition_id), polled.etag, render))
    response.set_etag(polled.etag)
    response.headers.update(POLL_HEADERS)
    return response


def _reader_polled(edition_id: int) -> tuple[Polled, bool]:
    """What the poll compares, and whether the reader runs the edition: for a password session
    as is (``password_session``) that the rule lets a poll answer for the whole account
    (``polled_password_session``), without Flask-Login reading the account (a query, a
    ``User``); otherwise as Flask-Login finds the reader, in the same one query."""
    signed_in = password_session()
    if signed_in is not None:
        user_id, nonce = signed_in
        polled = polled_edition(edition_id, user_id)
        if not polled.found:
            return polled, False
        if polled_password_session(polled, nonce):
            return polled, policy.runs_edition_as_read(policy.PolledAccount(user_id), polled.runs)
        if current_user.is_authenticated and current_user.id == user_id:
            return polled, policy.runs_edition_as_read(current_user, polled.runs)
    user_id = current_user.id if current_user.is_authenticated else None
    polled = polled_edition(edition_id, user_id)
    return polled, policy.runs_edition_as_read(current_user, polled.runs)


# --- The national room screen: projected in every site's plenary.


def _room_edition(edition_id: int) -> Edition:
    return edition_or_404(edition_id, policy.can_view_edition_room)


def _room_fragment(edition: Edition) -> str:
    return render_template(
        "editions/_room_sites.html",
        sites=edition_progress(edition),
        stages={stage: str(stage.label) for stage in STAGES},
        now=now(),
    )


@bp.get("/editions/<int:edition_id>/room")
def room(edition_id: int):
    return _screen(_room_edition(edition_id), "room", "room", _room_fragment)


@bp.get("/editions/<int:edition_id>/room/sites")
def room_sites(edition_id: int):
    return _polled(edition_id, _room_edition, "room", _room_fragment)
