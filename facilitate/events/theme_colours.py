"""Default colours of themes: each new theme of an event gets its own.

Every colour of the palette keeps white text readable on it (a contrast ratio of at least 4.5:1,
WCAG 2.1 AA), since screens and prints may write a theme's name on its colour.
"""

from collections.abc import Iterable

PALETTE = (
    "#1d4e89",  # blue
    "#9a3412",  # rust
    "#2e6b30",  # green
    "#6b2c91",  # purple
    "#0f6b6b",  # teal
    "#a3195b",  # raspberry
    "#7a5200",  # ochre
    "#4d4d4d",  # grey
)


def next_theme_colour(used: Iterable[str | None]) -> str:
    """The first palette colour none of ``used`` already has; past the palette, it starts over."""
    taken = [colour.lower() for colour in used if colour]
    for colour in PALETTE:
        if colour not in taken:
            return colour
    return PALETTE[len(taken) % len(PALETTE)]
