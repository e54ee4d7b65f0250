"""The site's own stylesheet is well formed: an unclosed block silently swallows every rule after it
(a merge once left the print rules open, and the phone layout of the statistics page broke)."""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_every_block_of_every_stylesheet_is_closed():
    for sheet in STATIC.rglob("*.css"):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
        depth = 0
        for number, line in enumerate(text.splitlines(), 1):
            depth += line.count("{") - line.count("}")
            assert depth >= 0, f"{sheet.name}:{number} closes a block never opened"
        assert depth == 0, f"{sheet.name} leaves {depth} block(s) open"
