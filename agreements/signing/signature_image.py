"""Checking the signature image a browser sends: a real, non-empty PNG of sane size."""

import base64
import binascii
import io

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from slaportal.errors import DomainError

MAX_BYTES = 400_000
MAX_SIDE = 2000
PREFIX = "data:image/png;base64,"


def _png_header_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, or a DomainError when it is not a PNG."""
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise DomainError(_("The signature must be a PNG image."))
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def decode_signature_png(data_url: str) -> bytes:
    """The PNG bytes of a `data:image/png;base64,...` URL, or a DomainError saying what is wrong."""
    if not data_url:
        raise DomainError(_("Draw or type your signature first."))
    if not data_url.startswith(PREFIX):
        raise DomainError(_("The signature must be a PNG image."))
    if len(data_url) > len(PREFIX) + MAX_BYTES * 4 // 3 + 4:  # before decoding anything
        raise DomainError(_("The signature image is too large; please sign again."))
    try:
        png = base64.b64decode(data_url[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(_("The signature image is damaged; please sign again.")) from None
    if len(png) > MAX_BYTES:
        raise DomainError(_("The signature image is too large; please sign again."))
    width, height = _png_header_size(png)
    if max(width, height) > MAX_SIDE:  # read from the header: never decode a pixel bomb
        raise DomainError(_("The signature must be a PNG image."))
    try:
        image = Image.open(io.BytesIO(png))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise DomainError(_("The signature image is damaged; please sign again.")) from None
    if image.format != "PNG" or max(image.size) > MAX_SIDE:
        raise DomainError(_("The signature must be a PNG image."))
    alpha = image.convert("RGBA").getchannel("A")
    if alpha.getbbox() is None:
        raise DomainError(_("The signature is empty. Draw or type your signature first."))
    return png


def png_data_uri(png: bytes) -> str:
    """A stored signature inline, so the PDF renderer needs no file or URL."""
    return PREFIX + base64.b64encode(bytes(png)).decode()
