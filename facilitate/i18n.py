"""Languages: French first, English complete.

The browser's Accept-Language chooses until the person picks a language with the switch in the
header; that choice is kept in a cookie for a year.
"""

from datetime import UTC, date, datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, get_day_names, get_month_names
from flask import Blueprint, Flask, current_app, redirect, request
from flask.globals import _cv_request
from flask_babel import get_locale, gettext, lazy_gettext
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from wtforms import HiddenField, SubmitField

from facilitate import elision
from facilitate.extensions import babel
from facilitate.text import FlaskForm
from facilitate.timezones import timezone_label
from facilitate.urls import safe_next_url

__all__ = ["bp", "init_app", "lazy_gettext"]

bp = Blueprint("i18n", __name__)


def _chosen_language() -> str:
    context = _cv_request.get(None)
    if context is None:  # command line: the platform's default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    config = context.app.config
    languages = config["LANGUAGES"]
    chosen = context.request.cookies.get(config["LANGUAGE_COOKIE"])
    if chosen in languages:
        return chosen
    return (
        _best_match(context.request.environ.get("HTTP_ACCEPT_LANGUAGE"), tuple(languages))
        or config["BABEL_DEFAULT_LOCALE"]
    )


@lru_cache(maxsize=1024)
def _best_match(accept_language: str | None, languages: tuple) -> str | None:
    """``request.accept_languages.best_match(languages)``, the header parsed once per process
    for each way browsers write it (a few dozen), not at each request."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages)


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def select_locale() -> Locale:
    """The reader's language, as a ``Locale`` parsed once per process (Flask-Babel would parse
    the code again at each request)."""
    return _locale(_chosen_language())


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


# How a moment reads, language by language: French as the Imprimerie nationale writes it
# ("le 1er décembre à 11 h 41"), English the British way ("1 December at 11:41"), never m/d/y.
# Written here rather than by Babel's patterns (``H 'h' mm``, ``HH:mm``, ``MMMM``, ``EEEE``),
# which cost some 50 µs a moment: a history of a hundred entries spent 5 ms on its dates.
_CLOCKS = {
    "fr": lambda moment: f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}",
    "en": lambda moment: f"{moment.hour:02d}:{moment.minute:02d}",
}


@cache
def _calendar_words(language: str) -> tuple[dict, dict]:
    """The language's month names (1–12) and weekday names (0 is Monday), as dates write them."""
    locale = Locale.parse(language)
    return get_month_names("wide", "format", locale), get_day_names("wide", "format", locale)


def local_time(moment: datetime | None, timezone: str, form: str = "datetime") -> str:
    """A stored UTC moment in the event's own time zone, in the reader's language: the one way
    dates and times are shown (the ``local_time`` template filter, mails, exports).

    ``form`` is ``datetime`` ("4 décembre à 11 h 41", "4 December at 11:41"; the year is added
    when it is not this year), ``weekday`` for a programme ("vendredi 4 décembre à 11 h 41",
    never a year), ``date``
    ("4 décembre 2026") or ``time`` ("11 h 41"). French sentences put "le" before a date
    themselves: "Validée le %(time)s"."""
    if moment is None:
        return ""
    return local_times(timezone, form)(moment)


def local_times(timezone: str, form: str = "datetime"):
    """``local_time`` for many moments of one page (a history's fifty entries): the zone, the
    reader's language and its words looked up once, not once a moment."""
    zone, locale = ZoneInfo(timezone), get_locale()
    written = _CLOCKS.get(locale.language)
    if written is None:  # a language without its own rules: Babel's medium form

        def babel_written(moment: datetime | None) -> str:
            if moment is None:
                return ""
            local = (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment).astimezone(
                zone
            )
            return format_datetime(local, "medium", tzinfo=zone, locale=locale)

        return babel_written
    this_year = datetime.now(zone).year
    at = gettext("%(date)s at %(time)s") if form in ("datetime", "weekday") else ""

    def write(moment: datetime | None) -> str:
        if moment is None:
            return ""
        local = (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment).astimezone(zone)
        clock = written(local)
        if form == "time":
            return clock
        with_year = form == "date" or (form != "weekday" and local.year != this_year)
        day = day_and_month(local.date(), with_year=with_year, weekday=form == "weekday")
        if form == "date":
            return day
        return at % {"date": day, "time": clock}

    return write


def day_and_month(day: date, with_year: bool = True, weekday: bool = False) -> str:
    """ "1er juillet 2018", "1 July 2018"; with the day of the week: "mercredi 4 juillet"."""
    language = str(get_locale())
    months, weekdays = _calendar_words(language)
    number = "1er" if language.startswith("fr") and day.day == 1 else str(day.day)
    text = f"{number} {months[day.month]}"
    if with_year:
        text += f" {day.year}"
    if weekday:
        text = f"{weekdays[day.weekday()]} {text}"
    return text


def local_date_range(start: datetime | None, end: datetime | None, timezone: str) -> str:
    """'9–11 juillet 2018': the dates an event runs, as the venue's calendar shows them."""
    if start is None:
        return ""
    zone = ZoneInfo(timezone)
    first = start.replace(tzinfo=UTC).astimezone(zone).date()
    last = end.replace(tzinfo=UTC).astimezone(zone).date() if end else first
    if first == last:
        return day_and_month(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{day_and_month(first, with_year=False).split(' ')[0]}–{day_and_month(last)}"
    if first.year == last.year:
        return f"{day_and_month(first, with_year=False)} – {day_and_month(last)}"
    return f"{day_and_month(first)} – {day_and_month(last)}"


def within_sentence(label) -> str:
    """A label (a checklist item, a role) as a word inside a sentence or a list: without the
    capital it has when it stands alone ("…précédente : ce qui existe déjà est noté")."""
    text = str(label)
    return text[:1].lower() + text[1:]


def current_path() -> str:
    """This page's path and query, to come back to after signing in or changing language."""
    return request.full_path.removesuffix("?")


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations")
    )
    babel.init_app(app, locale_selector=select_locale)
    elision.init_app(app, babel)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["local_date_range"] = local_date_range
    app.jinja_env.globals["timezone_label"] = timezone_label
    app.jinja_env.globals["current_path"] = current_path

    switches: dict = {}  # per locale: the same for every page in its language

    @app.context_processor
    def language_switch():
        locale = elision.current_locale()
        switch = switches.get(locale)
        if switch is None:
            current = str(locale)
            switch = switches[locale] = {
                "current_language": current,
                "language_form": LanguageForm,
                "other_languages": [code for code in app.config["LANGUAGES"] if code != current],
            }
        return switch
