"""No lost work: a form carries a fingerprint of each field as it was when the page was shown.

On save, a field that someone else changed meanwhile, and that this person changed too, is not
written: the page comes back with both versions to merge. A field this person left alone keeps
the other's change; a field only this person changed is saved.
"""

import hashlib
import json

from flask_babel import lazy_gettext as _l


def fingerprint(value) -> str:
    return hashlib.sha256(
        json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()[:20]


def merge(stored, base: str | None, submitted):
    """What to write for one field, and whether it is a conflict.

    Returns (value, conflict): value is what the field should hold after this save.
    """
    if base is None or fingerprint(stored) == base:
        return submitted, False  # nobody else changed it
    if fingerprint(submitted) == base:
        return stored, False  # only the other person changed it: keep theirs
    if submitted == stored:
        return stored, False  # both made the same change
    return stored, True


CONFLICT_MESSAGE = _l(
    "Someone changed this while you were editing. Their version is shown below yours: merge them, then save again."
)


def form_with_bases(form_class, values: dict):
    """A form showing these values, each field with the fingerprint it was shown with."""
    data = dict(values)
    data.update({f"base_{name}": fingerprint(value) for name, value in values.items()})
    return form_class(formdata=None, data=data)


def save_fields(form, names, *, stored, submitted, assign) -> dict:
    """Write, field by field, what ``merge`` allows; return the conflicting fields with both
    versions. ``stored(name)`` and ``submitted(name)`` give the two values, ``assign(name,
    value, old)`` writes one (the feature decides how its fields are kept)."""
    conflicts = {}
    for name in names:
        theirs, mine = stored(name), submitted(name)
        value, conflict = merge(theirs, form[f"base_{name}"].data or None, mine)
        if conflict:
            conflicts[name] = {"theirs": theirs, "yours": mine}
        else:
            assign(name, value, theirs)
    return conflicts


def mark_conflicts(fresh_form, conflicts: dict):
    """The form to show after a conflict: current fingerprints, this person's text kept."""
    for name, versions in conflicts.items():
        fresh_form[name].data = versions["yours"]
        fresh_form[name].errors = [CONFLICT_MESSAGE]
    return fresh_form
