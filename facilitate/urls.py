"""Where it is safe to send someone after signing in or switching language."""

from urllib.parse import urlsplit


def safe_next_url(target: str | None, default: str) -> str:
    """Only a path on this site: an attacker's link must not bounce a fresh sign-in elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return default
    return target
