"""Languages: French first, English complete.

The browser's Accept-Language chooses until the person picks a language with the switch in the
header; that choice is kept in a cookie for a year.
"""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import Blueprint, Flask, current_app, has_request_context, redirect, request
from flask_babel import get_locale, lazy_gettext
from wtforms import HiddenField, SubmitField

from facilitate.extensions import babel
from facilitate.text import FlaskForm
from facilitate.urls import safe_next_url

__all__ = ["bp", "init_app", "lazy_gettext"]

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if not has_request_context():  # command line: the platform's default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


class LanguageForm(FlaskForm):
    language = HiddenField()
    next = HiddenField()
    submit = SubmitField()


@bp.post("/language")
def choose_language():
    form = LanguageForm()
    target = safe_next_url(form.next.data, default="/")
    response = redirect(target, code=303)
    if form.validate_on_submit() and form.language.data in current_app.config["LANGUAGES"]:
        response.set_cookie(
            current_app.config["LANGUAGE_COOKIE"],
            form.language.data,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


def local_time(moment: datetime | None, timezone: str, fmt: str = "medium") -> str:
    """A stored UTC moment in the event's own time zone, in the reader's language."""
    if moment is None:
        return ""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return format_datetime(aware, fmt, tzinfo=ZoneInfo(timezone), locale=get_locale())


def local_date_range(start: datetime | None, end: datetime | None, timezone: str) -> str:
    """'9–11 juillet 2018': the dates an event runs, as the venue's calendar shows them."""
    if start is None:
        return ""
    zone, locale = ZoneInfo(timezone), get_locale()
    first = start.replace(tzinfo=UTC).astimezone(zone).date()
    last = end.replace(tzinfo=UTC).astimezone(zone).date() if end else first
    if first == last:
        return format_date(first, "d MMMM y", locale=locale)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_date(last, 'd MMMM y', locale=locale)}"
    if first.year == last.year:
        return f"{format_date(first, 'd MMMM', locale=locale)} – {format_date(last, 'd MMMM y', locale=locale)}"
    return f"{format_date(first, 'd MMMM y', locale=locale)} – {format_date(last, 'd MMMM y', locale=locale)}"


def current_path() -> str:
    """This page's path and query, to come back to after signing in or changing language."""
    return request.full_path.removesuffix("?")


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations")
    )
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["local_date_range"] = local_date_range
    app.jinja_env.globals["current_path"] = current_path

    @app.context_processor
    def language_switch():
        current = str(get_locale())
        return {
            "current_language": current,
            "language_form": LanguageForm,
            "other_languages": [code for code in app.config["LANGUAGES"] if code != current],
        }
