"""The pages the benchmark requests (bench/pages.py), each as the person who uses it, and the
targets of issue 13 they are measured against. The pages added since issue 13 listed them are
in ``pages_event_extra.py``, an edition's in ``pages_editions.py``."""

from dataclasses import dataclass, field

import pages_event_extra as event_extra
from pages_seed import Seeded

# Targets (issue 13), in milliseconds of CPU per request.
PAGE_TARGET = {"site": 5.0, "edition": 20.0}
PRINT_TARGET = 150.0  # printed documents and exports
POLL_TARGET = 1.0  # a poll that finds nothing new
PG_TARGET = 3.0  # PostgreSQL's own CPU, every page
# A PostgreSQL reference this many times its least in the run: the machine ran slow (bench/pages.py)
SLOW_SPELL = 1.5


@dataclass(frozen=True)
class Page:
    label: str
    endpoint: str
    who: str  # "member", "organiser", "api-member" (badge code), "api-organiser" (token)
    kind: str = "page"  # "page", "print" (documents and exports) or "poll"
    values: dict = field(default_factory=dict)  # for url_for, besides the slug
    revealed: bool = False  # requested once the results are revealed
    form: dict | None = None  # POSTed (with the CSRF token of the page's GET) rather than GET


def pages(seeded: Seeded) -> list[Page]:
    team = {"number": seeded.member_team}
    return [
        Page("event page", "events.show", "member"),
        Page("team workspace", "workspace.show", "member", values=team),
        *(
            Page(
                f"workspace {stage} page",
                "workspace.show_stage",
                "member",
                values={**team, "stage": stage},
            )
            for stage in ("framing", "ideation", "prototyping", "exhibition")
        ),
        Page("workspace journal page", "workspace.journal", "member", values=team),
        Page("team page", "teams.show", "member", values=team),
        Page("stands list", "exhibition.stands", "member"),
        Page("stand page", "exhibition.stand", "member", values={"number": seeded.other_stand}),
        Page("my ballot", "exhibition.my_ballot", "member"),
        Page("organiser dashboard", "dashboard.show", "organiser"),
        Page("dashboard poll (304)", "dashboard.teams", "organiser", "poll"),
        Page("room screen", "dashboard.room", "organiser"),
        Page("room screen poll (304)", "dashboard.room_state_json", "organiser", "poll"),
        Page("attendee list", "people.manage", "organiser"),
        Page("teams page", "teams.manage", "organiser"),
        Page("placement", "teams.placement", "organiser"),
        # A proposal for everyone (nobody kept in place), shown for review, not saved.
        Page(
            "placement proposal",
            "teams.placement",
            "organiser",
            form={"min_size": "8", "max_size": "16", "seed": "0"},
        ),
        Page("challenge list", "challenges.manage", "organiser"),
        Page("vote page", "exhibition.vote", "organiser"),
        # The first batch of every badge (100 of them), and a batch of those not yet printed.
        Page("badges", "printing.badges", "organiser", "print"),
        Page(
            "badges (not yet printed, batch 3)",
            "printing.badges",
            "organiser",
            "print",
            {"printed": "no", "batch": 3},
        ),
        Page("posters", "exhibition.posters", "organiser", "print"),
        Page(
            "posters (not yet printed)",
            "exhibition.posters",
            "organiser",
            "print",
            {"printed": "no"},
        ),
        Page("challenge sheets (print)", "printing.challenge_sheets", "organiser", "print"),
        Page(
            "feedback export XLSX",
            "exhibition.export_feedback",
            "organiser",
            "print",
            {"fmt": "xlsx"},
        ),
        *(
            Page(
                f"attendee export {fmt.upper()}",
                "people.export_attendees",
                "organiser",
                "print",
                {"fmt": fmt},
            )
            for fmt in ("csv", "xlsx", "ods")
        ),
        *(
            Page(
                f"challenge export {fmt.upper()}",
                "challenges.export_sheets",
                "organiser",
                "print",
                {"fmt": fmt},
            )
            for fmt in ("xlsx", "ods")
        ),
        Page("API stands", "api.stands", "api-member"),
        Page("API ballot", "api.ballot", "api-member"),
        Page("reveal", "exhibition.reveal", "organiser", revealed=True),
        Page("results", "exhibition.results", "member", revealed=True),
        Page(
            "results export XLSX",
            "exhibition.export_results",
            "organiser",
            "print",
            {"fmt": "xlsx"},
            revealed=True,
        ),
        Page("API results", "api.vote_results", "api-organiser", revealed=True),
        *event_extra.pages(seeded, Page),
    ]
