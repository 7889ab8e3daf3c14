"""Which column of a file fills which field, whatever language or spelling its header uses."""

import unicodedata


def header_key(header: str) -> str:
    """'Adresse e-mail ' -> 'adresse email': case, accents and punctuation do not matter."""
    decomposed = unicodedata.normalize("NFKD", header or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("n°", "numero ").replace("°", " ")
    words = "".join(c if c.isalnum() else " " if c not in "-'’" else "" for c in plain)
    # A header made of punctuation only ("#") is its own key.
    return " ".join(words.split()) or "".join(plain.split())


def match_columns(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Which column holds each known field, whatever language or spelling the header uses."""
    wanted = {header_key(alias): name for name, names in aliases.items() for alias in names}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        name = wanted.get(key) if key else None
        if name is not None and name not in found:
            found[name] = index
    return found
