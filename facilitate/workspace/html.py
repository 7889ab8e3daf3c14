"""What every workspace page repeats, written in Python rather than by template loops (issue
13, third round: the workspace every team member keeps open): the stages' track, each stage's
checklist, the stages the workspace shows light (checklist, summary, link to their own page)
and the journal's entries. The templates' includes, loops and a translation per row cost more
than the page's queries. Jinja's autoescaping does not guard this HTML: every value is escaped
here (``tests/test_workspace_written_in_python.py``); the translations are looked up once a
page, the stages' addresses built once a page.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from facilitate.i18n import local_times
from facilitate.models import Stage, Team
from facilitate.workspace.checklists import ChecklistItem
from facilitate.workspace.journal import journal_text


def stage_urls(team: Team) -> dict[Stage, str]:
    """Each stage's own page, built once a page: the track and the light stages link to them."""
    slug, number = team.challenge.event.slug, team.challenge.number
    return {
        stage: url_for("workspace.show_stage", slug=slug, number=number, stage=stage.value)
        for stage in Stage
    }


def track(team: Team, shown: Stage | None, labels: dict, urls: dict) -> Markup:
    """The four stages, the team's current one marked; each links to where it is shown in
    full: this page for the stage ``shown``, its own page for the others."""
    current_index = list(Stage).index(team.stage)
    steps = []
    for index, stage in enumerate(Stage):
        href = f"#stage-{stage.value}" if stage == shown else urls[stage]
        if stage == team.stage:
            marks = ' stage-track__step--current" aria-current="step'
        elif index < current_index:
            marks = " stage-track__step--done"
        else:
            marks = ""
        steps.append(
            f'<li class="stage-track__step{marks}">\n'
            f'<a href="{escape(href)}">{stage.number}. {escape(labels[stage])}</a>\n</li>'
        )
    stages_word = escape(_("Stages"))
    return Markup(  # noqa: S704  (every value escaped above)
        f'<ol class="stage-track" aria-label="{stages_word}">\n' + "\n".join(steps) + "\n</ol>"
    )


def checklist(stage: Stage, items: list[ChecklistItem], done: int) -> Markup:
    """A stage's checklist: each item ticked or not, its rule shown on hover and on keyboard
    focus, below the item (it hides nothing)."""
    done_word, to_do_word = escape(_("done")), escape(_("to do"))
    lines = []
    for index, item in enumerate(items, start=1):
        rule_id = f"rule-{stage.value}-{index}"
        lines.append(
            f'<li class="checklist__item{" checklist__item--done" if item.done else ""}">\n'
            f'<span aria-hidden="true">{"✓" if item.done else "○"}</span>\n'
            f'<span class="checklist__label" tabindex="0" aria-describedby="{rule_id}">'
            f"{escape(item.label)}"
            f'<span class="visually-hidden"> – {done_word if item.done else to_do_word}</span>'
            f"</span>\n"
            f'<span class="checklist__rule" id="{rule_id}" role="tooltip">{escape(item.rule)}'
            "</span>\n</li>"
        )
    summary = _("%(done)d of %(total)d done", done=done, total=len(items))
    return Markup(  # noqa: S704  (every value escaped above)
        f'<div class="checklist">\n<p class="checklist__summary">{escape(summary)}</p>\n<ul>\n'
        + "\n".join(lines)
        + "\n</ul>\n</div>"
    )


def section_start(stage: Stage, team: Team, labels: dict) -> Markup:
    """The opening of a stage's section and its title ("current stage" on the team's own)."""
    current = stage == team.stage
    tag = ""
    if current:
        current_word = escape(_("current stage"))
        tag = f' <span class="tag">{current_word}</span>'
    return Markup(  # noqa: S704  (every value escaped)
        f'<section class="stage-panel{" stage-panel--current" if current else ""}"'
        f' id="stage-{stage.value}" aria-labelledby="stage-{stage.value}-title">\n'
        f'<h2 id="stage-{stage.value}-title">{stage.number}. {escape(labels[stage])}{tag}</h2>\n'
    )


def _summary(stage: Stage, team: Team, counts, retained) -> str:
    """What was done at a stage the page shows light."""
    not_yet = escape(_("Not written yet."))
    if stage == Stage.FRAMING:
        question = escape(team.working_question) if team.working_question else not_yet
        personas = ngettext("%(num)d persona", "%(num)d personas", counts.personas)
        label = escape(_("Working question:"))
        return f"<p><strong>{label}</strong> {question}</p>\n<p>{escape(personas)}</p>"
    if stage == Stage.IDEATION:
        ideas = ngettext("%(num)d idea", "%(num)d ideas", counts.ideas)
        dots = ngettext("%(num)d dot", "%(num)d dots", counts.dots)
        text = f"<p>{escape(ideas)}, {escape(dots)}</p>\n"
        if retained is None:
            nothing = escape(_("No idea retained yet."))
            return text + f"<p>{nothing}</p>"
        endorsed = ""
        if retained.endorsed_at:
            endorsed_word = escape(_("endorsed by the challenge owner"))
            endorsed = f' <span class="tag">{endorsed_word}</span>'
        label = escape(_("Retained idea:"))
        return text + f"<p><strong>{label}</strong> {escape(retained.title)}{endorsed}</p>"
    if stage == Stage.PROTOTYPING:
        kind = f"{escape(team.prototype_kind.label)} – " if team.prototype_kind else ""
        summary = escape(team.prototype_summary) if team.prototype_summary else not_yet
        files = ngettext("%(num)d photo or file", "%(num)d photos or files", counts.files)
        notes = ngettext("%(num)d test note", "%(num)d test notes", counts.test_notes)
        label = escape(_("The prototype:"))
        return (
            f"<p><strong>{label}</strong> {kind}{summary}</p>\n"
            f"<p>{escape(files)}, {escape(notes)}</p>"
        )
    pitch = escape(team.pitch) if team.pitch else not_yet
    label = escape(_("Pitch:"))
    return f"<p><strong>{label}</strong> {pitch}</p>"


def light_sections(context: dict, stages) -> Markup:
    """The ``stages`` the workspace shows light, in order: title, checklist, what was done and
    the way to the stage's own page, where it is full and editable."""
    team, labels, urls = context["team"], context["stage_labels"], context["stage_urls"]
    editing = context["may"]["edit"]
    sections = []
    for stage in stages:
        if editing:
            link = _("See and edit the stage: %(stage)s", stage=labels[stage])
        else:
            link = _("See the whole stage: %(stage)s", stage=labels[stage])
        sections.append(
            str(section_start(stage, team, labels))
            + str(context["checklists_html"][stage])
            + '\n<div class="stage-summary">\n'
            + _summary(stage, team, context["counts"], context["retained"])
            + f'\n<p><a class="button button--secondary" href="{escape(urls[stage])}">'
            f"{escape(link)}</a></p>\n</div>\n</section>"
        )
    return Markup("\n".join(sections))  # noqa: S704  (every value escaped above)


def journal_items(entries, timezone: str, labels: dict) -> Markup:
    """The journal's entries, newest first: when, at which stage, who, and what it says (an
    automatic entry told in the reader's language)."""
    when, nobody = local_times(timezone), escape(_("facilitate"))
    items = []
    for entry in entries:
        author = escape(entry.author.name) if entry.author else nobody
        automatic = " history__entry--automatic" if entry.automatic else ""
        items.append(
            f'<li class="history__entry{automatic}">\n'
            f'<p><time datetime="{entry.created_at.isoformat()}Z">'
            f"{escape(when(entry.created_at))}</time>\n"
            f" · {escape(labels[entry.stage])} · <strong>{author}</strong></p>\n"
            f"<p>{escape(journal_text(entry))}</p>\n</li>"
        )
    return Markup("\n".join(items))  # noqa: S704  (every value escaped above)
