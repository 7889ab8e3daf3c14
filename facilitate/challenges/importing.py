"""Writing a checked challenge file (``spreadsheet.check_challenge_file``): the themes it
creates, then the challenges it creates or updates, all or none."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitate.audit.services import record
from facilitate.challenges.spreadsheet import ChallengeImport, theme_key
from facilitate.events.theme_colours import next_theme_colour
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Team, Theme


@dataclass
class ChallengeImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    themes_created: list[str] = field(default_factory=list)


def import_challenges(event: Event, checked: ChallengeImport, actor=None) -> ChallengeImportResult:
    """Write a checked file, all rows or none: creates the missing themes, creates the new
    challenges with their team, and gives existing ones (same number) exactly the file's
    values in every column it has. Flushes, never commits; recorded in the event's history.
    """
    if not checked.ok:
        raise ValueError("import_challenges needs a file without problems")
    result = ChallengeImportResult()
    columns = checked.columns

    themes = {
        theme_key(theme.name): theme
        for theme in db.session.scalars(select(Theme).where(Theme.event_id == event.id))
    }
    position = 1 + max((theme.position for theme in themes.values()), default=-1)
    for row in checked.rows:
        if row.theme is not None and theme_key(row.theme) not in themes:
            colour = checked.theme_colours.get(theme_key(row.theme)) or next_theme_colour(
                [t.colour for t in themes.values()] + list(checked.theme_colours.values())
            )
            theme = Theme(event_id=event.id, name=row.theme, colour=colour, position=position)
            db.session.add(theme)
            themes[theme_key(row.theme)] = theme
            result.themes_created.append(row.theme)
            position += 1
    for key, colour in checked.theme_colours.items():
        themes[key].colour = colour
    if result.themes_created:
        db.session.flush()  # their ids, for the challenges below
    updates = set(checked.updates)

    existing = {
        challenge.number: challenge
        for challenge in db.session.scalars(
            select(Challenge)
            .options(joinedload(Challenge.theme))
            .where(
                Challenge.event_id == event.id,
                Challenge.number.in_([row.number for row in checked.rows]),
            )
        )
    }
    for row in checked.rows:
        values = {name: getattr(row, name) for name in columns}
        if "theme" in columns:
            values["theme"] = themes[theme_key(row.theme)] if row.theme else None
        challenge = existing.get(row.number)
        if challenge is None:
            challenge = Challenge(event_id=event.id, number=row.number, **values)
            challenge.team = Team(event_id=event.id)
            db.session.add(challenge)
            result.created += 1
            continue
        if row.number in updates:
            for name in columns:
                setattr(challenge, name, values[name])
            result.updated += 1
        else:
            result.unchanged += 1

    record(event, actor, "challenges.imported", created=result.created, updated=result.updated)
    db.session.flush()
    # Challenges and themes were added by their event id: the event's lists must be read again.
    db.session.expire(event, ["challenges", "themes"])
    return result
