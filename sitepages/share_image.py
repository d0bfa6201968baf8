"""Share images (Open Graph, 1200 x 630 PNG) drawn from the site's data with Pillow: a program's name, cost
and length, or the school's name and tagline, in the site's colours (docs/design.md) with its mark.

Drawn when asked for rather than generated once, so that a price an editor changes is the price a shared
link shows. Pillow's bundled font is used (no font file to ship, nothing fetched)."""

from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from sitetools.formats import money

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
# The colour tokens of static/css/site.css (docs/design.md).
BRAND = "#12355b"
ON_BRAND = "#ffffff"
SAND = "#f6f4ef"
ACCENT = "#74121f"
# The mark of static/img/logo.svg: a pulse line in a rounded square, on a 64-unit grid.
MARK_PULSE = [(10, 36), (20, 36), (26, 20), (34, 46), (40, 28), (44, 36), (54, 36)]


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    """The text in lines no wider than `width`; a last line that does not fit ends with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while draw.textlength(lines[-1] + "…", font=font) > width and " " in lines[-1]:
            lines[-1] = lines[-1].rsplit(" ", 1)[0]
        lines[-1] += "…"
    return lines


def _mark(draw: ImageDraw.ImageDraw, left: int, top: int, size: int) -> None:
    """The mark, inverted for a dark background: a white rounded square with the pulse in the brand colour."""
    scale = size / 64
    draw.rounded_rectangle([left, top, left + size, top + size], radius=round(12 * scale), fill=ON_BRAND)
    points = [(left + x * scale, top + y * scale) for x, y in MARK_PULSE]
    draw.line(points, fill=BRAND, width=round(5 * scale), joint="curve")


def _canvas(footer: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    _mark(draw, MARGIN, MARGIN, 88)
    draw.text(
        (MARGIN + 112, MARGIN + 44), settings.SCHOOL["NAME"], font=_font(40), fill=ON_BRAND, anchor="lm"
    )
    draw.rectangle([0, HEIGHT - 96, WIDTH, HEIGHT], fill=ACCENT)
    draw.text((MARGIN, HEIGHT - 48), footer, font=_font(34), fill=ON_BRAND, anchor="lm")
    return image, draw


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    # A few flat colours and anti-aliased text: a 64-colour palette keeps it sharp at a fraction of the size.
    image.quantize(colors=64).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def program_image(program) -> bytes:
    """A program's share image: its name, what it costs, how long it takes."""
    image, draw = _canvas(f"Start dates, costs and applying: {_site_host()}")
    title_font = _font(72)
    top = 220
    for line in _wrap(draw, f"{program.name} course", title_font, WIDTH - 2 * MARGIN, 2):
        draw.text((MARGIN, top), line, font=title_font, fill=ON_BRAND)
        top += 86
    top += 24
    facts_font = _font(38)
    price = f"From {money(program.total_cost)} tuition and fees"
    if program.deposit:
        price += f", {money(program.deposit)} deposit"
    draw.text((MARGIN, top), price, font=facts_font, fill=SAND)
    for line in _wrap(draw, program.length, facts_font, WIDTH - 2 * MARGIN, 1):
        draw.text((MARGIN, top + 54), line, font=facts_font, fill=SAND)
    return _png(image)


def icon_image(size: int) -> bytes:
    """The mark as a square app icon (the favicon's colours, edge to edge: phones round the corners)."""
    image = Image.new("RGB", (size, size), BRAND)
    draw = ImageDraw.Draw(image)
    scale = size / 64
    draw.line(
        [(x * scale, y * scale) for x, y in MARK_PULSE], fill=ON_BRAND, width=round(6 * scale), joint="curve"
    )
    return _png(image)


def school_image() -> bytes:
    """The school's share image: its name and tagline."""
    image, draw = _canvas(_site_host())
    top = 230
    title_font = _font(64)
    for line in _wrap(draw, settings.SCHOOL["TAGLINE"], title_font, WIDTH - 2 * MARGIN, 3):
        draw.text((MARGIN, top), line, font=title_font, fill=ON_BRAND)
        top += 80
    return _png(image)
