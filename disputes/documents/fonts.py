"""Small CJK PDFs: subset fonts without the empty glyph slots WeasyPrint keeps.

WeasyPrint 6x subsets with HarfBuzz passing HB_SUBSET_FLAGS_RETAIN_GIDS, so a
subset of Noto Serif CJK keeps all ~65 000 glyph ids (empty, but each costs
bytes in loca/hmtx/CFF charset): ~250 KB for a one-page notice. `install()`
wraps the HarfBuzz flag setter so that flag is dropped; the PDF maps text
through the font's own cmap, so renumbered glyphs render the same.
"""
from __future__ import annotations

import logging

LOGGER = logging.getLogger(__name__)
_installed = False


def harfbuzz_subset_available() -> bool:
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except Exception:  # noqa: BLE001 - any import failure means no HarfBuzz subsetting
        return False
    return harfbuzz_subset is not None


def warn_if_unavailable() -> None:
    if not harfbuzz_subset_available():
        LOGGER.warning(
            "HarfBuzz subsetting (libharfbuzz-subset0) is not available: WeasyPrint falls back to fontTools, "
            "which is much slower and gives larger PDFs. Install libharfbuzz-subset0."
        )


def install() -> None:
    """Idempotently make WeasyPrint's HarfBuzz subsetting renumber glyphs (drop RETAIN_GIDS)."""
    global _installed
    if _installed:
        return
    _installed = True
    if not harfbuzz_subset_available():
        return
    from weasyprint.pdf import fonts as pdf_fonts

    pdf_fonts.harfbuzz_subset = _WithoutRetainedGids(pdf_fonts.harfbuzz_subset)


class _WithoutRetainedGids:
    """Stands in for WeasyPrint's `harfbuzz_subset` library; only the flag setter differs."""

    def __init__(self, library):
        self._library = library
        self._retain = library.HB_SUBSET_FLAGS_RETAIN_GIDS

    def __getattr__(self, name):
        return getattr(self._library, name)

    def hb_subset_input_set_flags(self, subset_input, flags):
        return self._library.hb_subset_input_set_flags(subset_input, flags & ~self._retain)
