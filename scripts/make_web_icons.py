"""Draw the web app's icons (the home-screen icon of the installed app) as PNG files.

The icon is made here, from shapes (no third-party image): a blue rounded square with a white
push-up figure (a straight line from head to heels over two arms). Written to
``src/pushup_coach/web/static/icons/`` (committed; the web manifest names them). Run again only
to change the design: ``python scripts/make_web_icons.py``.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src" / "pushup_coach" / "web" / "static" / "icons"
SIZES = (192, 512)
BLUE, WHITE = (11, 107, 203, 255), (255, 255, 255, 255)


def icon(size: int, maskable: bool) -> Image.Image:
    """One icon; a maskable one fills the square (the phone cuts its own shape out of it)."""
    image = Image.new("RGBA", (size, size), BLUE if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=BLUE)
    s = size / 100  # the figure is drawn on a 100x100 grid, inside the maskable safe zone
    width = max(2, round(7 * s))
    head = (24 * s, 40 * s)
    draw.ellipse((head[0] - 7 * s, head[1] - 7 * s, head[0] + 7 * s, head[1] + 7 * s), fill=WHITE)
    draw.line((32 * s, 45 * s, 80 * s, 62 * s), fill=WHITE, width=width)  # body, head to heels
    draw.line((36 * s, 47 * s, 36 * s, 66 * s), fill=WHITE, width=width)  # arm
    draw.line((18 * s, 68 * s, 84 * s, 68 * s), fill=WHITE, width=max(1, round(3 * s)))  # floor
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
