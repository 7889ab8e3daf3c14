"""Pictures of the demo's prototypes, drawn by the project (Pillow), never downloaded: a board
in the team's theme colour with paper notes and the prototype's title, as a phone would have
photographed it. The same team always gets the same picture."""

import io
import random
import unicodedata

from PIL import Image, ImageDraw, ImageFont

SIZE = (640, 480)
NOTE_COLOURS = ("#ffe066", "#ffadad", "#a0e7e5", "#b4f8c8", "#fbe7c6")
# A font with accents where the system has one (Debian's fonts-dejavu-core); Pillow's own has
# none, so without it the text loses its accents rather than showing empty boxes.
SYSTEM_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _fonts() -> tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont, bool]:
    try:
        return ImageFont.truetype(SYSTEM_FONT, 22), ImageFont.truetype(SYSTEM_FONT, 14), True
    except OSError:
        return ImageFont.load_default(size=22), ImageFont.load_default(size=14), False


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if len(candidate) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def prototype_picture(title: str, colour: str | None, seed: str) -> bytes:
    """A JPEG of a prototype board: ``seed`` makes the notes' places the same on every run."""
    rng = random.Random(seed)
    background = _hex(colour or "#1d4e89")
    image = Image.new("RGB", SIZE, "#f4f1ea")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, SIZE[0] - 20, SIZE[1] - 20), fill=background)
    font, small, accents = _fonts()
    if not accents:
        title = _plain(title)
    # Paper notes on a loose grid, each a little off its place.
    cells = [(col, row) for col in range(5) for row in range(2)]
    for col, row in rng.sample(cells, rng.randint(5, 8)):
        x = 45 + col * 112 + rng.randint(-8, 8)
        y = 160 + row * 130 + rng.randint(-10, 10)
        draw.rectangle((x, y, x + 100, y + 90), fill=rng.choice(NOTE_COLOURS), outline="#333333")
        for row in range(3):
            length = rng.randint(40, 85)
            draw.line((x + 8, y + 20 + row * 22, x + 8 + length, y + 20 + row * 22), "#555555", 2)
    draw.rectangle((40, 40, SIZE[0] - 40, 130), fill="#ffffff")
    for row, line in enumerate(_wrap(title, 42)[:3]):
        draw.text((52, 48 + row * 26), line, fill="#1e1e1e", font=font)
    caption = "Photo de démonstration" if accents else "Photo de demonstration"
    draw.text((44, SIZE[1] - 44), caption, fill="#ffffff", font=small)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
