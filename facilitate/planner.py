"""Words for SQLite's query planner, which PostgreSQL does without.

SQLite guesses how many rows a condition keeps from the index statistics, and it guesses wrong
for ``team_id IS NULL``: the memberships' index on teams says "about 30 rows a team", while
the rows without a team are every attendance and organiser of the platform (10,700 with
10,000 attendees). So it read them all along that index rather than one event's range of the
partial index made for them (``ix_memberships_event_role_person``): 2 ms instead of 0.06 for
the vote's figures, on a platform of 10,000 attendees (issue 13)."""

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType


class likely(FunctionElement):  # noqa: N801  (SQL's name)
    """A condition most rows meet: SQLite's ``likely(...)``, the condition alone elsewhere. The
    condition still names the partial index it belongs to; SQLite just stops taking it for a
    selective one."""

    type = NullType()  # not Boolean: SQLite would be given likely(...) = 1
    name = "likely"
    inherit_cache = True


@compiles(likely)
def _condition_alone(element, compiler, **kw):
    return compiler.process(element.clause_expr, **kw)  # in brackets: ``a AND (b OR c)``


@compiles(likely, "sqlite")
def _sqlite_likely(element, compiler, **kw):
    return f"likely({compiler.process(element.clauses, **kw)})"


def without_team(column):
    """``team_id IS NULL`` for a membership column: an attendance or an organiser's row, as the
    partial indexes on memberships name them, read by event rather than by team."""
    return likely(column.is_(None))
