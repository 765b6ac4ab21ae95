"""Complete the English catalogue: every empty or fuzzy msgstr becomes its msgid.

The source strings are English, so the `en` catalogue is an identity mapping.
Run this after `pybabel update` so that new messages are not left empty:

    python disputes/translations/fill_en.py
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent / "en" / "LC_MESSAGES" / "messages.po"


def fill(path: Path = CATALOGUE) -> int:
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        fuzzy = "fuzzy" in message.flags
        if message.pluralizable:
            singular, plural = message.id[0], message.id[1]
            if fuzzy or not all(message.string or ()):
                message.string = (singular, *[plural] * (catalog.num_plurals - 1))
                filled += 1
        elif fuzzy or not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=76)
    return filled


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else CATALOGUE
    print(f"{fill(target)} messages filled in {target}")
