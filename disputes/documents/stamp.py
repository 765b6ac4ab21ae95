"""Stamping page numbers (页号) onto existing PDF pages with pypdf: a tiny content stream per page.

The digits are drawn in Helvetica (a standard PDF font, nothing embedded), top right of each page,
so the stored documents' own content is untouched underneath.
"""

from __future__ import annotations

from pypdf import PageObject, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

FONT_SIZE = 12
MARGIN_TOP, MARGIN_RIGHT = 28, 42  # points from the page's top and right edges


def _font() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def stamp_numbers(writer: PdfWriter, start_index: int, first_number: int = 1) -> None:
    """Number the writer's pages from `start_index` on: first_number, first_number + 1, …"""
    font = writer._add_object(_font())
    for offset, page in enumerate(writer.pages[start_index:]):
        _stamp(writer, page, str(first_number + offset), font)


def _stamp(writer: PdfWriter, page: PageObject, text: str, font) -> None:
    box = page.mediabox
    width = FONT_SIZE * 0.556 * len(text)  # Helvetica digits are 556/1000 em wide
    x = float(box.right) - MARGIN_RIGHT - width
    y = float(box.top) - MARGIN_TOP - FONT_SIZE
    stream = DecodedStreamObject()
    stream.set_data(f"q BT /FPageNo {FONT_SIZE} Tf 0 g {x:.2f} {y:.2f} Td ({text}) Tj ET Q".encode("ascii"))
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    fonts[NameObject("/FPageNo")] = font
    resources[NameObject("/Font")] = fonts
    page[NameObject("/Resources")] = resources
    contents = page.get("/Contents")
    existing = contents.get_object() if contents is not None else None
    items = list(existing) if isinstance(existing, ArrayObject) else ([contents] if contents is not None else [])
    # Wrap the old content in q…Q so whatever state it leaves does not move our number.
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(b"\nQ\n")
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *items, writer._add_object(after), writer._add_object(stream)]
    )
