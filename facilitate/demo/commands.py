"""``flask demo`` and ``flask demo-exhibition``: load the Rennes 2018 demo in the middle of day 2,
then move it to the exhibition to rehearse the vote and the reveal."""

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from facilitate.auth.codes import format_access_code
from facilitate.auth.services import sign_in_url
from facilitate.cli import _url_context
from facilitate.demo import SHOWN_TEAM, DemoReport, demo_data, load_demo
from facilitate.demo.exhibition import move_to_exhibition
from facilitate.demo.followup import move_to_follow_up


@click.command("demo")
@with_appcontext
@click.option(
    "--reset",
    is_flag=True,
    help="Delete the demo event (and the accounts only it used) and load it again.",
)
def demo_command(reset):
    """Load the Rennes 2018 demo event in the middle of day 2 (once) and print how to sign in."""
    report = load_demo(current_app.instance_path, reset=reset)
    if report.created:
        click.echo(
            _(
                "Demo event loaded, in the middle of day 2 (prototyping): %(name)s",
                name=report.event.name,
            )
        )
    else:
        click.echo(
            _(
                "Demo event already loaded, left as it is (“make demo-reset” loads it again): %(name)s",
                name=report.event.name,
            )
        )
    _print_sign_ins(report)
    with _url_context():
        url = url_for("editions.dashboard", edition_id=report.event.edition_id, _external=True)
    click.echo(_("The edition’s six sites, on the national dashboard: %(url)s", url=url))
    click.echo(
        _(
            "To rehearse the vote and the reveal: %(command)s",
            command="make demo-exhibition (flask --app facilitate demo-exhibition)",
        )
    )


def _print_sign_ins(report: DemoReport) -> None:
    with _url_context():
        click.echo(f"  {url_for('events.show', slug=report.event.slug, _external=True)}")
        click.echo(
            _(
                "Organiser: %(email)s, password %(password)s, at %(url)s",
                email=report.organiser.email,
                password=report.password,
                url=url_for("auth.sign_in", _external=True),
            )
        )
        for person in report.sign_ins:
            click.echo(
                _(
                    "%(role)s (challenge %(number)d team): %(name)s, access code %(code)s, or the link %(link)s",
                    role=person.role.label,
                    number=SHOWN_TEAM,
                    name=person.name,
                    code=format_access_code(person.code),
                    link=sign_in_url(person.code),
                )
            )


@click.command("demo-exhibition")
@with_appcontext
def demo_exhibition_command():
    """Move the demo to the exhibition: every team at its stand, the vote open, some ballots and
    feedback. Loads the demo first if needed; a vote already opened is left as it is."""
    report = load_demo(current_app.instance_path)
    done = move_to_exhibition(report.event, report.organiser, demo_data())
    if done.opened_now:
        click.echo(_("The demo is at the exhibition and the vote is open."))
        click.echo(
            "  "
            + ngettext("%(num)d ballot cast", "%(num)d ballots cast", done.ballots)
            + ", "
            + ngettext(
                "%(num)d comment left at the stands.",
                "%(num)d comments left at the stands.",
                done.feedback,
            )
        )
    else:
        click.echo(
            _(
                "The demo's vote was already opened, left as it is: %(status)s.",
                status=str(done.status.label).lower(),
            )
        )
    slug = report.event.slug
    with _url_context():
        for label, endpoint in (
            (_("Run the vote (organiser)"), "exhibition.vote"),
            (_("Stands"), "exhibition.stands"),
            (_("Results"), "exhibition.results"),
            (_("Reveal"), "exhibition.reveal"),
        ):
            click.echo(f"  {label}: {url_for(endpoint, slug=slug, _external=True)}")
    _print_sign_ins(report)


@click.command("demo-follow-up")
@with_appcontext
def demo_follow_up_command():
    """Take the demo months past the event: its days move back, the vote is revealed and a few
    challenges have news of their prototype. Loads the demo first if needed; a demo that has
    follow-up already is left as it is."""
    report = load_demo(current_app.instance_path)
    done = move_to_follow_up(report.event, report.organiser, demo_data())
    if done.added_now:
        click.echo(
            _(
                "The demo ended months ago; news of %(challenges)d challenges (%(updates)d updates).",
                challenges=done.challenges,
                updates=done.updates,
            )
        )
    else:
        click.echo(_("The demo already had its follow-up, left as it is."))
    with _url_context():
        url = url_for("followup.event_page", slug=report.event.slug, _external=True)
        label = _("Follow-up")
        click.echo(f"  {label}: {url}")
    _print_sign_ins(report)


COMMANDS = (demo_command, demo_exhibition_command, demo_follow_up_command)
