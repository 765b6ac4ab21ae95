"""Helpers for the document tests: a seal image and a case with an accepted arbitration."""

import io

from disputes.workflow.states import ArbitrationState
from tests.drive import Driver


def seal_png(size: int = 200, color=(200, 0, 0, 255)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, size - 4, size - 4), outline=color, width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def accepted_case(db, org, make_case, unit=None):
    case = make_case(unit or org.centre)
    Driver(db.session, org, case).arbitration(ArbitrationState.ACCEPTED)
    db.session.commit()
    return case
