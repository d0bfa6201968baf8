"""Write the PNG icons of the favicon set from the mark (sitepages/share_image.py draws it, in the colours of
static/img/favicon.svg): static/img/apple-touch-icon.png (180 x 180, for phones' home screens).

    .venv/bin/python scripts/make_icons.py

Run it after changing the mark, and commit the files. Browsers take static/img/favicon.svg."""

import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from sitepages.share_image import icon_image  # noqa: E402 (needs the path above)

ICONS = {"apple-touch-icon.png": 180}


def main() -> None:
    for name, size in ICONS.items():
        target = PROJECT_DIR / "static" / "img" / name
        target.write_bytes(icon_image(size))
        print(f"wrote {target.relative_to(PROJECT_DIR)} ({size} x {size})")


if __name__ == "__main__":
    main()
