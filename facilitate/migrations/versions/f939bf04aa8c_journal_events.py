"""journal events: automatic journal entries as a kind and its parameters

Revision ID: f939bf04aa8c
Revises: f2b4c3a6b955
Create Date: 2026-12-04 20:09:35

Automatic entries (a stage changed, an idea retained) were stored as French or English text, so a
reader of the other language saw the writer's. They become a ``kind`` and JSON ``params``, told in
each reader's language when shown. Existing automatic entries written by this application, in
French or English, are recognised and converted; anything else stays as text (``kind`` NULL).
The patterns are copied here, not imported, so that this migration keeps its meaning.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "f939bf04aa8c"
down_revision = "f2b4c3a6b955"
branch_labels = None
depends_on = None

_STAGES = {
    "framing": "framing",
    "cadrage": "framing",
    "ideation": "ideation",
    "idéation": "ideation",
    "prototyping": "prototyping",
    "prototypage": "prototyping",
    "exhibition": "exhibition",
    "exposition": "exhibition",
}
_STAGE_CHANGED = re.compile(
    r"^(?:Stage changed|Changement d[’']étape)\s*:\s*(?P<old>.+?)\s*→\s*(?P<new>.+?)\s*\.?$"
)
_IDEA_RETAINED = re.compile(
    r"^(?:Idea retained|Idée retenue)\s*:\s*[“«]\s*(?P<title>.*?)\s*[”»]\.\s*"
    r"(?:Why|Pourquoi)\s*:\s*(?P<reason>.*)$",
    re.DOTALL,
)

_DOT_VOTE = {
    "Dot vote closed.": ("dots_closed", {}),
    "Vote par gommettes clos.": ("dots_closed", {}),
    "Dot vote reopened.": ("dots_reopened", {}),
    "Vote par gommettes rouvert.": ("dots_reopened", {}),
}

_journal = sa.table(
    "journal_entries",
    sa.column("id", sa.Integer),
    sa.column("body", sa.Text),
    sa.column("automatic", sa.Boolean),
    sa.column("kind", sa.String),
    sa.column("params", sa.JSON),
)


def recognise(body: str) -> tuple[str, dict] | None:
    """The kind and parameters of an automatic entry stored as text, or None."""
    if match := _STAGE_CHANGED.match(body):
        old = _STAGES.get(match["old"].strip().lower())
        new = _STAGES.get(match["new"].strip().lower())
        return ("stage_changed", {"old": old, "new": new}) if old and new else None
    if match := _IDEA_RETAINED.match(body):
        return "idea_retained", {"title": match["title"], "reason": match["reason"]}
    return _DOT_VOTE.get(body.strip())


def upgrade():
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_journal.c.id, _journal.c.body).where(_journal.c.automatic.is_(True))
    ).all()
    for entry_id, body in rows:
        found = recognise(body or "")
        if found:
            kind, params = found
            connection.execute(
                _journal.update()
                .where(_journal.c.id == entry_id)
                .values(kind=kind, params=params)
            )


def downgrade():
    # The body still holds each entry's text as first written: nothing is lost going back.
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_column("params")
        batch_op.drop_column("kind")
