"""The 2018 edition of the demo: Rennes (the full demo event) and the five other sites, each with
a few challenges invented for the demo (``edition-2018.json``), at their own local time."""

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from facilitate.audit.services import record_edition
from facilitate.extensions import db
from facilitate.models import (
    LIST_FIELDS,
    SHEET_FIELDS,
    Challenge,
    Edition,
    Event,
    NationalOrganiser,
    Team,
    User,
)
from facilitate.models._types import utc_from_local

EDITION_FILE = Path(__file__).with_name("edition-2018.json")


def _data() -> dict:
    return json.loads(EDITION_FILE.read_text(encoding="utf-8"))


def _demo_edition(info: dict) -> Edition | None:
    return db.session.scalar(
        select(Edition)
        .where(Edition.name == info["name"], Edition.year == info["year"])
        .order_by(Edition.id)
        .limit(1)
    )


def load_demo_edition(rennes: Event, organiser: User) -> Edition:
    """The edition with its six sites, unless it exists; the demo organiser runs it nationally.
    Rennes joins it; the other sites run the same days as Rennes, each at its own local time."""
    data = _data()
    edition = _demo_edition(data["edition"])
    if edition is None:
        edition = Edition(**data["edition"])
        db.session.add(edition)
        db.session.flush()
        record_edition(edition, organiser, "edition.created", name=edition.name, year=edition.year)
    if rennes.edition_id is None:
        rennes.edition_id = edition.id
        record_edition(edition, organiser, "site.attached", site=rennes.name)
    runs = db.session.scalar(
        select(NationalOrganiser.id).where(
            NationalOrganiser.edition_id == edition.id, NationalOrganiser.user_id == organiser.id
        )
    )
    if runs is None:
        db.session.add(NationalOrganiser(edition_id=edition.id, user_id=organiser.id))
    zone = ZoneInfo(rennes.timezone)
    first_day = rennes.starts_at.replace(tzinfo=UTC).astimezone(zone).date()
    days = (rennes.ends_at.replace(tzinfo=UTC).astimezone(zone).date() - first_day).days
    existing = set(
        db.session.scalars(
            select(Event.slug).where(Event.slug.in_([s["slug"] for s in data["sites"]]))
        )
    )
    for site in data["sites"]:
        if site["slug"] not in existing:
            _add_site(edition, site, first_day, days)
            # The demo's edition history: its organiser made the sites.
            record_edition(edition, organiser, "site.created", site=site["name"])
    db.session.flush()
    return edition


def _add_site(edition: Edition, site: dict, first_day, days: int) -> None:
    """Nine to five local time, on the same calendar days as Rennes."""
    zone = site["timezone"]
    starts = datetime.combine(first_day, time(9))
    ends = datetime.combine(first_day, time(17))
    event = Event(
        slug=site["slug"],
        name=site["name"],
        venue=site["venue"],
        timezone=zone,
        starts_at=utc_from_local(starts, zone),
        ends_at=utc_from_local(ends + timedelta(days=days), zone),
        description="",
        edition_id=edition.id,
    )
    db.session.add(event)
    db.session.flush()
    for item in site["challenges"]:
        challenge = Challenge(
            event=event,
            number=item["number"],
            **{f: item.get(f) or ([] if f in LIST_FIELDS else None) for f in SHEET_FIELDS},
        )
        challenge.team = Team(event_id=event.id)
        db.session.add(challenge)


def remove_demo_edition() -> None:
    """The five other sites and the edition (Rennes is removed by ``remove_demo_event``)."""
    data = _data()
    slugs = [s["slug"] for s in data["sites"]]
    db.session.execute(delete(Event).where(Event.slug.in_(slugs)))
    edition = _demo_edition(data["edition"])
    if edition is not None:
        db.session.execute(delete(Edition).where(Edition.id == edition.id))
    db.session.commit()
