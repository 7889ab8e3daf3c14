"""The time zones events are held in, named as people say them: "heure de La Réunion (UTC+4)",
"La Réunion time (UTC+4)", never "Indian/Reunion".

Mainland France and the overseas territories first, then a few neighbours that have taken part.
Each has a place (for the event form's list) and a time name (for sentences); a zone outside the
list, stored by an older version or a script, is named by Babel ("heure : Japon")."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import get_timezone_location
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

ZONES = {
    "Europe/Paris": (_l("Mainland France"), _l("Paris time")),
    "America/Guadeloupe": (_l("Guadeloupe"), _l("Guadeloupe time")),
    "America/Martinique": (_l("Martinique"), _l("Martinique time")),
    "America/Cayenne": (_l("French Guiana"), _l("French Guiana time")),
    "Indian/Reunion": (_l("La Réunion"), _l("La Réunion time")),
    "Indian/Mayotte": (_l("Mayotte"), _l("Mayotte time")),
    "America/Miquelon": (_l("Saint-Pierre-et-Miquelon"), _l("Saint-Pierre-et-Miquelon time")),
    "Pacific/Noumea": (_l("New Caledonia"), _l("New Caledonia time")),
    "Pacific/Tahiti": (_l("French Polynesia (Tahiti)"), _l("Tahiti time")),
    "Pacific/Wallis": (_l("Wallis and Futuna"), _l("Wallis and Futuna time")),
    "Europe/Brussels": (_l("Belgium"), _l("Belgian time")),
    "Europe/Luxembourg": (_l("Luxembourg"), _l("Luxembourg time")),
    "Europe/Zurich": (_l("Switzerland"), _l("Swiss time")),
}


def utc_offset(timezone: str, at: datetime | None = None) -> str:
    """ "UTC+4", "UTC−3", "UTC+5:30", "UTC": the zone's offset at a (naive UTC) moment, now by
    default (Paris is UTC+1 in winter, UTC+2 in summer)."""
    moment = (at or datetime.now(UTC).replace(tzinfo=None)).replace(tzinfo=UTC)
    offset = moment.astimezone(ZoneInfo(timezone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def timezone_name(timezone: str) -> str:
    """ "heure de La Réunion", "La Réunion time": for sentences, in the reader's language."""
    if timezone in ZONES:
        return str(ZONES[timezone][1])
    return get_timezone_location(timezone, locale=get_locale())


def timezone_label(timezone: str, at: datetime | None = None) -> str:
    """ "Heure de La Réunion (UTC+4)": the zone on its own, e.g. under a programme."""
    text = gettext(
        "%(zone)s (%(offset)s)", zone=timezone_name(timezone), offset=utc_offset(timezone, at)
    )
    return text[:1].upper() + text[1:]


def timezone_choices() -> list[tuple[str, str]]:
    """The event form's list: "La Réunion (UTC+4)", "Mainland France (UTC+1, UTC+2 in summer)"."""
    year = datetime.now(UTC).year
    choices = []
    for zone, (place, _time) in ZONES.items():
        winter = utc_offset(zone, datetime(year, 1, 15))
        summer = utc_offset(zone, datetime(year, 7, 15))
        offsets = (
            winter
            if winter == summer
            else gettext("%(winter)s, %(summer)s in summer", winter=winter, summer=summer)
        )
        choices.append((zone, gettext("%(place)s (%(offsets)s)", place=place, offsets=offsets)))
    return choices


def exists_at(moment: datetime, timezone: str) -> bool:
    """Whether this wall-clock time happens at all in the zone: the hour skipped when clocks go
    forward (02:30 in Paris on the last Sunday of March) does not, and zoneinfo would silently
    move it an hour, past an end typed after it."""
    zone = ZoneInfo(timezone)
    there = moment.replace(tzinfo=zone)
    return there.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment
