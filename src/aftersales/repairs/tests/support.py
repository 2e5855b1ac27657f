"""Shared by the repairs tests: a drawn signature as the browser's canvas sends it."""

from __future__ import annotations

import base64
import io

from PIL import Image


def signature_bytes(size: tuple[int, int] = (240, 90)) -> bytes:
    """A transparent PNG with a stroke across it, as a signature canvas exports it."""
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    for x in range(min(20, size[0] - 1), min(200, size[0])):
        image.putpixel((x, min(45 + (x % 7), size[1] - 1)), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def signature_data_url(content: bytes | None = None) -> str:
    return "data:image/png;base64," + base64.b64encode(content or signature_bytes()).decode()
