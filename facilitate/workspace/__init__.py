"""The team workspace: the challenge sheet beside the team's work, stage by stage, with the
journal. Each stage's views live in their own module and template partial."""

from flask import Blueprint

from facilitate.workspace.journal import journal_text

bp = Blueprint("workspace", __name__, template_folder="templates")
bp.add_app_template_global(journal_text)

from facilitate.workspace import routes, routes_files, routes_ideation, routes_prototyping  # noqa: E402, F401  (registers views)
