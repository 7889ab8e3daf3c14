"""The demo's three-day programme, read from ``rennes-2018-programme.json``: days count from the
event's first day at the venue, so the programme moves with the demo's dates. Sessions that
carry a stage set its planned start, as an organiser's would."""

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from facilitate.models import Event, SessionKind, Stage
from facilitate.programme.services import SessionDetails, local, save_session

PROGRAMME_FILE = Path(__file__).with_name("rennes-2018-programme.json")


def add_programme(event: Event, organiser) -> int:
    """Add the demo's sessions to the event; returns how many."""
    sessions = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))["sessions"]
    first_day = local(event.starts_at, event.timezone).date()
    for item in sessions:
        day = first_day + timedelta(days=item["day"] - 1)
        save_session(
            event,
            None,
            SessionDetails(
                kind=SessionKind(item["kind"]),
                title=item["title"],
                starts_at=datetime.combine(day, time.fromisoformat(item["starts"])),
                ends_at=datetime.combine(day, time.fromisoformat(item["ends"])),
                room=item.get("room"),
                speakers=item.get("speakers"),
                description=item.get("description", ""),
                stage=Stage(item["stage"]) if item.get("stage") else None,
            ),
            organiser,
        )
    return len(sessions)
