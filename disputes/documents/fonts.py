"""Small CJK PDFs: subset fonts without the empty glyph slots WeasyPrint keeps.

WeasyPrint subsets with HarfBuzz passing HB_SUBSET_FLAGS_RETAIN_GIDS, so a
subset of Noto Serif CJK keeps all ~63 000 glyph slots (empty, but each costs
bytes in CharStrings, hmtx and vmtx): ~250 KB for a one-page notice.

For a CID-keyed CFF font (the Noto CJK faces) dropping that flag is safe once
the font is embedded as bare CFF (FontFile3 /CIDFontType0C): HarfBuzz keeps
each glyph's CID in the subset's charset, and a PDF reader maps the CIDs in the
text through that charset. Embedded as an OpenType wrapper, readers look glyphs
up by index instead, so `finish` unwraps every OpenType font program.
Other fonts keep their glyph ids (TrueType is addressed by glyph index).
"""

from __future__ import annotations

import contextvars
import io
import logging

LOGGER = logging.getLogger(__name__)
_compacting = contextvars.ContextVar("compacting", default=False)
_installed = False


def harfbuzz_subset_available() -> bool:
    """Whether the libraries WeasyPrint subsets with load, asked through ctypes: importing WeasyPrint itself
    costs about a second, which every `flask` command would pay at start-up."""
    import ctypes

    def load(*names: str):
        for name in names:
            try:
                return ctypes.CDLL(name)
            except OSError:
                continue
        return None

    subset = load("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")
    harfbuzz = load("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")
    if subset is None or harfbuzz is None or not hasattr(subset, "hb_subset_or_fail"):
        return False
    return bool(harfbuzz.hb_version_atleast(4, 1, 0))


def warn_if_unavailable() -> None:
    if not harfbuzz_subset_available():
        LOGGER.warning(
            "HarfBuzz subsetting (libharfbuzz-subset0 >= 4.1) is NOT available: WeasyPrint falls back to "
            "fontTools, documents render several times slower and CJK PDFs grow to hundreds of KB. "
            "Install libharfbuzz-subset0."
        )


def install() -> None:
    """Idempotently teach WeasyPrint to compact CID-keyed CFF subsets (see the module docstring)."""
    global _installed
    if _installed or not harfbuzz_subset_available():
        _installed = True
        return
    _installed = True
    from weasyprint.pdf import fonts as pdf_fonts

    pdf_fonts.harfbuzz_subset = _Flags(pdf_fonts.harfbuzz_subset)
    original = pdf_fonts.Font.subset

    def subset(font, to_unicode, hinting):
        if "CFF " not in font.tables:
            return original(font, to_unicode, hinting)
        token = _compacting.set(True)
        try:
            original(font, to_unicode, hinting)
        finally:
            _compacting.reset(token)
        if not _is_cid_keyed(font.file_content):  # glyph ids must stay: subset again, keeping them
            original(font, to_unicode, hinting)

    pdf_fonts.Font.subset = subset


class _Flags:
    """Stands in for WeasyPrint's `harfbuzz_subset` library; while compacting, RETAIN_GIDS is dropped."""

    def __init__(self, library):
        self._library = library
        self._retain = library.HB_SUBSET_FLAGS_RETAIN_GIDS

    def __getattr__(self, name):
        return getattr(self._library, name)

    def hb_subset_input_set_flags(self, subset_input, flags):
        if _compacting.get():
            flags &= ~self._retain
        return self._library.hb_subset_input_set_flags(subset_input, flags)


def _is_cid_keyed(otf: bytes) -> bool:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(otf), lazy=True)
        return hasattr(font["CFF "].cff.topDictIndex[0], "ROS")
    except Exception:  # noqa: BLE001 - an unreadable font is not compacted
        return False


def finish(document, pdf) -> None:
    """WeasyPrint finisher: embed CFF fonts bare (/CIDFontType0C) and drop the CIDToGIDMap that
    only Type 2 CIDFonts may carry, so readers map CIDs through the CFF charset."""
    import pydyf
    from fontTools.ttLib import TTFont

    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/OpenType":
            data = b"".join(bytes(chunk) for chunk in obj.stream)
            try:
                cff = TTFont(io.BytesIO(data), lazy=True).reader["CFF "]
            except Exception:  # leave a font we cannot read as it is
                LOGGER.warning("could not unwrap an OpenType font program", exc_info=True)
                continue
            obj.stream = [cff]
            obj.extra["Subtype"] = "/CIDFontType0C"
        elif isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/CIDFontType0":
            obj.pop("CIDToGIDMap", None)
