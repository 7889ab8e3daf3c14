"""No lost work: a form carries a fingerprint of each field as it was when the page was shown.

On save, a field that someone else changed meanwhile, and that this person changed too, is not
written: the page comes back with both versions to merge. A field this person left alone keeps
the other's change; a field only this person changed is saved.
"""

import hashlib
import json


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
