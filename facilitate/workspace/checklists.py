"""What each stage should produce (DOMAIN.md), as a checklist: a guide for the team, never a
lock. The one place that says when each item ticks, for the workspace, the site's dashboard and
the national one alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from facilitate.models import Stage, Team

if TYPE_CHECKING:
    from facilitate.workspace.services import WorkCounts


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    # When it ticks, in words: shown beside the item (and in the README's table).
    rule: str = ""


def dots_placed(team: Team, counts: WorkCounts) -> bool:
    """Every member has placed their dots, or the facilitator closed the dot vote. Every member
    of the team counts as present: the platform records no check-in."""
    if team.dots_closed_at is not None:
        return True
    return counts.members > 0 and counts.members_dotted >= counts.members


def _framing_reviewed(team: Team, counts: WorkCounts) -> bool:
    return any(
        getattr(team, f"framing_{name}") is not None
        for name in ("stakeholders", "users", "obstacles", "levers")
    )


# What each stage should produce (DOMAIN.md): each item's words, when it ticks (of the team and
# its work counts) and that rule in words. Built once; translated once per language.
_CHECKLISTS = {
    Stage.FRAMING: (
        (
            _l("The working question is written"),
            lambda team, counts: bool(team.working_question),
            _l("Ticks once the team has saved its working question."),
        ),
        (
            _l("Stakeholders, users, obstacles and levers are reviewed"),
            _framing_reviewed,
            _l("Ticks once the team has saved the framing, which makes these lists its own."),
        ),
        (
            _l("At least one persona"),
            lambda team, counts: counts.personas > 0,
            _l("Ticks once the team has added a persona."),
        ),
        (
            _l("What already exists is noted"),
            lambda team, counts: bool(team.existing_solutions),
            _l("Ticks once the team has written what already exists."),
        ),
    ),
    Stage.IDEATION: (
        (
            _l("At least three ideas"),
            lambda team, counts: counts.ideas >= 3,
            _l("Ticks once the team has three idea cards or more."),
        ),
        (
            _l("Members have placed their dots"),
            dots_placed,
            _l(
                "Ticks when every member of the team has placed all their dots (one per idea"
                " when there are fewer ideas than dots), or when the facilitator closes the"
                " dot vote, for instance because a member is absent."
            ),
        ),
        (
            _l("An idea is retained, with why it answers the owner"),
            lambda team, counts: counts.retained > 0,
            _l("Ticks once the facilitator has retained an idea and said why."),
        ),
        (
            _l("The challenge owner endorsed it"),
            lambda team, counts: counts.endorsed > 0,
            _l("Ticks once the challenge owner has endorsed the retained idea."),
        ),
    ),
    Stage.PROTOTYPING: (
        (
            _l("What the prototype is"),
            lambda team, counts: bool(team.prototype_kind and team.prototype_summary),
            _l("Ticks once the kind of prototype and its summary are saved."),
        ),
        (
            _l("What it tests"),
            lambda team, counts: bool(team.prototype_tests),
            _l("Ticks once the team has written what the prototype tests."),
        ),
        (
            _l("A test plan"),
            lambda team, counts: bool(team.test_plan),
            _l("Ticks once the team has written its test plan."),
        ),
        (
            _l("Photos or files"),
            lambda team, counts: counts.files > 0,
            _l("Ticks once the team has added a photo or a file of the prototype."),
        ),
        (
            _l("Feedback from tests"),
            lambda team, counts: counts.test_notes > 0,
            _l(
                "Ticks once the team has noted feedback from its own tests; visitors'"
                " feedback at the exhibition does not count."
            ),
        ),
    ),
    Stage.EXHIBITION: (
        (
            _l("A pitch"),
            lambda team, counts: bool(team.pitch),
            _l("Ticks once the team has written its pitch."),
        ),
        (
            _l("The retained idea and the prototype summary for the poster"),
            lambda team, counts: counts.retained > 0 and bool(team.prototype_summary),
            _l("Ticks when an idea is retained and the prototype summary is written."),
        ),
    ),
}
# Per language and stage, the items' words and rules: the catalogue does not change while the
# process runs, and the workspace shows the four stages' at every request.
_CHECKLIST_WORDS: dict[tuple[str, Stage], tuple[tuple[str, str], ...]] = {}


def _checklist_words(stage: Stage) -> tuple[tuple[str, str], ...]:
    key = (str(get_locale()), stage)
    words = _CHECKLIST_WORDS.get(key)
    if words is None:
        words = tuple((str(label), str(rule)) for label, _done, rule in _CHECKLISTS[stage])
        _CHECKLIST_WORDS[key] = words
    return words


def checklist(team: Team, stage: Stage, counts: WorkCounts) -> list[ChecklistItem]:
    """What each stage should produce (DOMAIN.md): a guide for the team, never a lock. The one
    place that says when each item ticks, for the workspace and the dashboard alike."""
    return [
        ChecklistItem(label, done(team, counts), rule)
        for (label, rule), (_label, done, _rule) in zip(
            _checklist_words(stage), _CHECKLISTS[stage], strict=True
        )
    ]


def checklist_marks(team: Team, stage: Stage, counts: WorkCounts) -> list[bool]:
    """Whether each item of ``checklist`` ticks, without its words (which a page of every
    team's figures, the national dashboard, would translate seventy times eight)."""
    return [done(team, counts) for _label, done, _rule in _CHECKLISTS[stage]]
