"""Flash messages shown next to what they are about.

A view that saves one section of a long page (a persona, an idea, the vote settings) says so
with ``flash_at(target, message)`` and redirects to ``#target``: the section renders its own
messages with the ``messages(target)`` macro (templates/macros/messages.html), so the
confirmation or the refusal appears beside the section the browser scrolls to. Messages without
a target, and targeted ones whose section the page did not show, appear at the top of the page
(base.html renders the content first, then what is left).

The target travels in the flash category (``"success@personas"``), so the messages keep Flask's
storage and order, and plain ``flash(message, category)`` keeps working.
"""

from dataclasses import dataclass

from flask import Flask, flash, g, get_flashed_messages

SEPARATOR = "@"


@dataclass
class Message:
    category: str
    text: str
    target: str | None
    shown: bool = False


def flash_at(target: str, message: str, category: str = "success") -> None:
    """Flash ``message`` for the section whose id is ``target``."""
    flash(message, f"{category}{SEPARATOR}{target}")


def _messages() -> list[Message]:
    if "flash_messages" not in g:
        messages = []
        for category, text in get_flashed_messages(with_categories=True):
            kind, _, target = category.partition(SEPARATOR)
            messages.append(Message(kind or "info", text, target or None))
        g.flash_messages = messages
    return g.flash_messages


def _take(wanted) -> list[Message]:
    taken = [m for m in _messages() if not m.shown and wanted(m)]
    for message in taken:
        message.shown = True
    return taken


def messages_for(target: str) -> list[Message]:
    """The messages about ``target``, marked as shown so the top of the page leaves them out."""
    return _take(lambda m: m.target == target)


def remaining_messages() -> list[Message]:
    """The messages no section has shown: general ones, or about a section not on this page."""
    return _take(lambda m: True)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        flash_messages_for=messages_for, remaining_flash_messages=remaining_messages
    )
