"""Who may do what. Every view and template asks here; nothing else decides.

Predicates take the person first (a signed-in ``User`` or Flask-Login's anonymous user) and the
object second, and only answer: loading and refusing is ``require``'s job.

Views and templates ask this package (``policy.can_vote(...)``); its modules only keep each
area's rules together: ``roles`` (who a person is at an event, and the event-wide rules),
``teamwork`` (workspace, exhibition, feedback), ``accounts`` (accounts, invitations, personal
data), ``event_content`` (programme, resources, debrief), ``after_event`` (follow-up, showcase,
book), ``editions`` and ``jury``.
"""

from facilitate.policy import accounts, after_event, editions, event_content, jury, roles, teamwork
from facilitate.policy.accounts import (
    can_change_own_password,
    can_download_own_data,
    can_edit_privacy_notice,
    can_erase_attendees,
    can_manage_invitations,
    can_manage_organisers,
    can_purge_personal_data,
    can_read_privacy_notice,
)
from facilitate.policy.after_event import (
    can_add_follow_up_update,
    can_change_follow_up_status,
    can_change_own_names_consent,
    can_download_challenge_book,
    can_manage_book,
    can_put_on_showcase,
    can_read_follow_up,
    can_read_prototype_file,
    can_record_public_consent,
    can_see_on_showcase,
    can_see_quiet_follow_ups,
    can_view_edition_showcase,
    can_view_showcase,
)
from facilitate.policy.editions import (
    can_attach_event,
    can_create_editions,
    can_manage_edition,
    can_view_edition,
    can_view_edition_room,
    runs_any_edition,
)
from facilitate.policy.event_content import (
    can_answer_debrief,
    can_have_calendar_feed,
    can_manage_programme,
    can_manage_resources,
    can_read_debrief_answers,
    can_read_resources,
    can_view_programme,
)
from facilitate.policy.jury import (
    can_manage_jury,
    can_nominate,
    can_read_nominees,
    can_score,
    can_see_jury_results,
    is_juror,
    judges_team,
    sits_on_any_jury,
)
from facilitate.policy.roles import (
    can_copy_event,
    can_create_events,
    can_manage_event,
    can_see_people,
    can_view_challenge,
    can_view_event,
    may_hold_api_token,
    remember_roles,
    require,
    roles_in,
    roles_in_team,
    runs_edition,
    runs_edition_as_read,
    session_reaches,
)
from facilitate.policy.teamwork import (
    can_close_dot_vote,
    can_comment_on_workspace,
    can_edit_workspace,
    can_endorse_idea,
    can_leave_feedback,
    can_move_team_stage,
    can_place_dots,
    can_read_feedback,
    can_read_workspace,
    can_retain_idea,
    can_run_vote,
    can_see_results,
    can_visit_stand,
    can_vote,
)

__all__ = [
    "is_juror",
    "sits_on_any_jury",
    "can_manage_jury",
    "can_nominate",
    "can_read_nominees",
    "can_score",
    "can_see_jury_results",
    "judges_team",
    "can_add_follow_up_update",
    "can_answer_debrief",
    "can_attach_event",
    "can_change_follow_up_status",
    "can_change_own_names_consent",
    "can_change_own_password",
    "can_close_dot_vote",
    "can_comment_on_workspace",
    "can_copy_event",
    "can_create_editions",
    "can_create_events",
    "can_download_challenge_book",
    "can_download_own_data",
    "can_edit_privacy_notice",
    "can_edit_workspace",
    "can_endorse_idea",
    "can_erase_attendees",
    "can_have_calendar_feed",
    "can_leave_feedback",
    "can_manage_book",
    "can_manage_edition",
    "can_manage_event",
    "can_manage_invitations",
    "can_manage_organisers",
    "can_manage_programme",
    "can_manage_resources",
    "can_move_team_stage",
    "can_place_dots",
    "can_purge_personal_data",
    "can_put_on_showcase",
    "can_read_debrief_answers",
    "can_read_feedback",
    "can_read_follow_up",
    "can_read_privacy_notice",
    "can_read_prototype_file",
    "can_read_resources",
    "can_read_workspace",
    "can_record_public_consent",
    "can_retain_idea",
    "can_run_vote",
    "can_see_on_showcase",
    "can_see_people",
    "can_see_quiet_follow_ups",
    "can_see_results",
    "can_view_challenge",
    "can_view_edition",
    "can_view_edition_room",
    "can_view_edition_showcase",
    "can_view_event",
    "can_view_programme",
    "can_view_showcase",
    "can_visit_stand",
    "can_vote",
    "may_hold_api_token",
    "remember_roles",
    "require",
    "roles_in",
    "roles_in_team",
    "runs_any_edition",
    "runs_edition",
    "runs_edition_as_read",
    "session_reaches",
    "TEMPLATE_PREDICATES",
    "init_app",
]

# The names templates use to hide what a person may not do.
TEMPLATE_PREDICATES = {
    **roles.PREDICATES,
    **teamwork.PREDICATES,
    **accounts.PREDICATES,
    **event_content.PREDICATES,
    **after_event.PREDICATES,
    **editions.PREDICATES,
    **jury.PREDICATES,
}


def init_app(app) -> None:
    """Templates ask the same predicates as views, to hide what a person may not do."""
    app.jinja_env.globals.update(TEMPLATE_PREDICATES)
