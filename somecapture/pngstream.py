"""Streaming PNG: write a tall image from bands of rows, read one back a band at a time.

Why. The full-page screenshot of a 1,000-reply thread is 1280 × 141,000 px. Pillow keeps an
RGB pixel in 4 bytes, so the whole image is 720 MB in memory; stitching it whole, then
decoding it whole again for each PDF made the capture peak at 1.1–1.5 GiB. Pillow cannot
encode or decode a PNG in pieces, so this module writes the PNG container and the one zlib
stream of the image data itself, a band of rows at a time:

* **Writing** (:class:`PngBandWriter`): a band's rows go into one continuous zlib stream
  (``compressobj``), written as IDAT chunks, each row with filter type 0 ("None"):
  screenshots are flat colour and text, which compress as well that way as with Pillow's
  adaptive filters, in a third of the time. A band that compresses poorly so (a photo, a
  gradient) is filtered adaptively instead, by Pillow: it encodes the band, with the previous
  band's last row in front, at zlib level 0 (no compression work); Pillow picks each row's
  filter looking at the row above, so the band's rows are filtered exactly as in the whole
  image, and they are taken out of that stream. The height in the header is corrected when
  fewer rows came than announced (a screenshot cut for time).
* **Reading** (:class:`PngBandReader`): the IDAT data is inflated incrementally, every chunk's
  CRC checked. A band whose rows are all unfiltered is taken as it is. Any other band's
  filtered rows, after the previous band's last row unfiltered, are wrapped in a small PNG of
  their own (stored zlib) that Pillow decodes, with the chunks the file has before its data
  (palette, transparency, colour profile). Only 8-bit, non-interlaced PNGs are streamed (every
  screenshot: Chromium's and this tool's); anything else is decoded whole by Pillow, as
  before (:func:`open_bands`).

Memory is a few bands (a band of 1,024 rows at 1280 px: about 5 MB raw) whatever the height.
A band is handled in a few large calls, each of which gives up the GIL: with a busy thread
beside, every hand-back can wait a switch interval, so small calls per row are avoided.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from pathlib import Path
from typing import BinaryIO, Final, Protocol

from PIL import Image

__all__ = ["PngBandReader", "PngBandWriter", "BandSource", "WholeImage", "open_bands", "BAND_ROWS"]

PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
#: rows handled at once; ~5 MB of RGB at 1280 px, large enough that per-band overhead is nil
BAND_ROWS: Final = 1024
#: compressed bytes per IDAT chunk written (any size is valid; few large ones are read fast)
_IDAT_BYTES: Final = 1024 * 1024
#: a band whose rows unfiltered compress to more than this share of their size is filtered
#: adaptively instead (text and flat colour compress 20 to 40 times; photos 2 to 4 times)
_POOR_RATIO: Final = 8
#: bands smaller than this (raw bytes) are judged on what zlib gives for them once flushed
_SMALL_BAND: Final = 1 << 20
#: 8-bit colour types this module streams: Pillow's raw mode and the bytes per pixel
_COLOUR_TYPES: Final = {0: ("L", 1), 2: ("RGB", 3), 3: ("P", 1), 4: ("LA", 2), 6: ("RGBA", 4)}


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC of type and data."""
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind))))


def _ihdr(width: int, height: int, bit_depth: int, colour_type: int) -> bytes:
    return _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type,
                                       0, 0, 0))


def _read_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG held in memory (one Pillow wrote: no CRC check needed)."""
    if not data.startswith(PNG_SIGNATURE):
        raise OSError("not a PNG")
    chunks, pos = [], len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks.append((kind, data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return chunks


def _unfiltered_rows(image: Image.Image) -> bytes:
    """``image``'s (RGB) rows, each after a filter type byte 0 ("None")."""
    raw = memoryview(image.tobytes())
    row = 3 * image.width
    parts: list[bytes | memoryview] = []
    for top in range(0, len(raw), row):
        parts += (b"\x00", raw[top:top + row])
    return b"".join(parts)


def _filtered_rows(image: Image.Image) -> bytes:
    """``image``'s rows as PNG filters them (a filter type byte, then the filtered row), in
    Pillow's own adaptive choice of filter per row."""
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=0)
    return zlib.decompress(b"".join(d for k, d in _read_chunks(out.getvalue()) if k == b"IDAT"))


class PngBandWriter:
    """Writes an 8-bit RGB, non-interlaced PNG to ``path`` from bands of rows, top to bottom.

    ``height`` is announced in the header; :meth:`finish` corrects it when fewer rows were
    written. Not thread-safe: one thread at a time (the calls may come from different threads
    in turn).
    """

    def __init__(self, path: Path, width: int, height: int, *, compress_level: int = 1) -> None:
        if width < 1 or height < 1:
            raise ValueError(f"a PNG needs at least one pixel: {width} × {height}")
        self.path = path
        self.width = width
        self.height = height
        self.rows = 0
        self._file: BinaryIO | None = path.open("wb")
        self._file.write(PNG_SIGNATURE + _ihdr(width, height, 8, 2))
        self._zlib = zlib.compressobj(compress_level)
        self._pending = bytearray()
        self._last_row: Image.Image | None = None

    def write(self, band: Image.Image) -> None:
        """Append ``band`` (RGB, this image's width) below the rows written so far."""
        if band.mode != "RGB" or band.width != self.width:
            raise ValueError(f"expected an RGB band {self.width} px wide, got {band.mode} "
                             f"{band.width} px")
        if self._file is None:
            raise ValueError("the PNG is already finished")
        if self.rows + band.height > self.height:
            raise ValueError(f"{self.rows + band.height} rows are more than the announced "
                             f"{self.height}")
        if band.height == 0:
            return
        # Filter type 0 ("None") first: screenshots are mostly flat colour and text, where it
        # compresses as well as Pillow's adaptive choice at a third of the time (a 141,000 px
        # thread: 15.26 MB against 15.11 MB). A band that compresses poorly that way (photos,
        # gradients) is filtered adaptively instead, on the compressor's state before the trial.
        raw = _unfiltered_rows(band)
        trial = self._zlib.copy()
        out = trial.compress(raw)
        judged = len(out)
        if len(raw) < _SMALL_BAND:
            # zlib still holds much of a small band in its buffers: what it would give for it
            # is measured on a copy flushed, or every small band would look well compressed
            judged += len(trial.copy().flush(zlib.Z_SYNC_FLUSH))
        if judged * _POOR_RATIO > len(raw):
            del out
            out = self._zlib.compress(self._adaptive(band))
        else:
            self._zlib = trial
        del raw
        self._pending += out
        del out
        self._last_row = band.crop((0, band.height - 1, self.width, band.height))
        self.rows += band.height
        self._flush(_IDAT_BYTES)

    def _adaptive(self, band: Image.Image) -> bytes:
        """``band``'s rows filtered as Pillow would in the whole image."""
        if self._last_row is None:
            return _filtered_rows(band)
        # the row above in front: the band's first row is filtered against it, as in the
        # whole image; that row's own bytes (filtered against nothing) are dropped
        joined = Image.new("RGB", (self.width, band.height + 1))
        joined.paste(self._last_row, (0, 0))
        joined.paste(band, (0, 1))
        return _filtered_rows(joined)[1 + 3 * self.width:]

    def write_blank(self, rows: int, colour: tuple[int, int, int] = (255, 255, 255)) -> None:
        """Append ``rows`` rows of one colour."""
        while rows > 0:
            n = min(rows, BAND_ROWS)
            self.write(Image.new("RGB", (self.width, n), colour))
            rows -= n

    def _flush(self, at_least: int) -> None:
        assert self._file is not None
        while len(self._pending) >= max(at_least, 1):
            size = min(len(self._pending), max(at_least, _IDAT_BYTES))
            self._file.write(_chunk(b"IDAT", bytes(self._pending[:size])))
            del self._pending[:size]

    def finish(self) -> int:
        """End the image (header corrected to the rows written) and close the file; returns
        the height. At least one row must have been written."""
        if self._file is None:
            raise ValueError("the PNG is already finished")
        if self.rows == 0:
            self.abort()
            raise ValueError("a PNG needs at least one row")
        self._pending += self._zlib.flush()
        self._flush(0)
        self._file.write(_chunk(b"IEND", b""))
        if self.rows != self.height:
            self._file.seek(len(PNG_SIGNATURE))
            self._file.write(_ihdr(self.width, self.rows, 8, 2))
        self._file.close()
        self._file = None
        return self.rows

    def abort(self) -> None:
        """Close and remove the unfinished file (nothing half-written is left)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.path.unlink(missing_ok=True)


class BandSource(Protocol):
    """An image read from the top in bands of rows."""

    width: int
    height: int

    def read(self, rows: int) -> Image.Image:
        """The next ``rows`` rows (fewer at the bottom); an error past the bottom."""
        ...

    def close(self) -> None:
        """Release the file."""
        ...


class PngBandReader:
    """Reads an 8-bit, non-interlaced PNG file a band of rows at a time (see the module text).

    Raises ``OSError`` for a damaged file (a CRC that does not match, data that ends early)
    and ``ValueError`` for a PNG it does not stream (:func:`open_bands` decides beforehand).
    """

    def __init__(self, path: Path) -> None:
        self._file: BinaryIO = path.open("rb")
        try:
            if self._file.read(8) != PNG_SIGNATURE:
                raise ValueError("not a PNG")
            kind, ihdr = self._chunk()
            if kind != b"IHDR" or len(ihdr) != 13:
                raise OSError("damaged PNG: no header")
            (self.width, self.height, depth, colour, compression, filtering,
             interlace) = struct.unpack(">IIBBBBB", ihdr)
            if (depth != 8 or colour not in _COLOUR_TYPES or interlace
                    or compression or filtering):
                raise ValueError("this PNG is not streamed (not 8-bit, or interlaced)")
            self._colour = colour
            self._raw_mode, bytes_per_pixel = _COLOUR_TYPES[colour]
            self._stride = 1 + self.width * bytes_per_pixel
            # the chunks before the data (palette, transparency, colour profile) go into every
            # band's PNG, so each band decodes to what the whole image would
            self._extra = b""
            kind, data = self._chunk()
            while kind != b"IDAT":
                if kind == b"IEND":
                    raise OSError("damaged PNG: no image data")
                self._extra += _chunk(kind, data)
                kind, data = self._chunk()
        except BaseException:
            self._file.close()
            raise
        # nothing but the pixels to decode (no palette, transparency or colour profile for
        # Pillow to read into the image's info): unfiltered bands are taken as they are
        self._plain = not self._extra and colour != 3
        self._data: bytes = data
        self._zlib = zlib.decompressobj()
        self._done = 0
        self._last_row: bytes | None = None

    def _chunk(self) -> tuple[bytes, bytes]:
        head = self._file.read(8)
        if len(head) < 8:
            raise OSError("damaged PNG: it ends early")
        length, kind = struct.unpack(">I4s", head)
        data = self._file.read(length)
        crc = self._file.read(4)
        if len(data) < length or len(crc) < 4:
            raise OSError("damaged PNG: it ends early")
        if struct.unpack(">I", crc)[0] != zlib.crc32(data, zlib.crc32(kind)):
            raise OSError(f"damaged PNG: the checksum of a {kind.decode('latin-1')} chunk "
                          "does not match")
        return kind, data

    def _inflate(self, size: int) -> bytes:
        """The next ``size`` bytes of the decompressed (filtered) image data."""
        parts, have = [], 0
        while have < size:
            if self._zlib.eof:
                raise OSError("damaged PNG: the image data ends early")
            data = self._next_input()
            # never more than is still needed: a band's worth is inflated at a time, never the
            # whole image, and nothing is carried over to the next band
            part = self._decompress(data, size - have)
            parts.append(part)
            have += len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _next_input(self) -> bytes:
        """The next compressed bytes: what zlib left over, else the next IDAT chunk's."""
        data = self._zlib.unconsumed_tail or self._data
        self._data = b""
        if not data:
            kind, data = self._chunk()
            if kind != b"IDAT":
                raise OSError("damaged PNG: the image data ends early")
        return data

    def _decompress(self, data: bytes, size: int) -> bytes:
        try:
            return self._zlib.decompress(data, size)
        except zlib.error as exc:  # a wrong checksum, a broken stream: said as damage
            raise OSError(f"damaged PNG: the image data is damaged ({exc})") from None

    def _check_end(self) -> None:
        """After the last row: the image data ends there, whole (zlib's own checksum), and
        the file goes on to its end chunk with every chunk's checksum right."""
        while not self._zlib.eof:
            data = self._next_input()
            # bytes past the last row are ignored, as libpng does; the stream's end and its
            # checksum are what tell a whole file from a cut or damaged one
            self._decompress(data, 1 << 16)
        while True:
            kind, _ = self._chunk()
            if kind == b"IEND":
                return

    def read(self, rows: int) -> Image.Image:
        """The next ``rows`` rows (fewer at the bottom), decoded by Pillow. With the last
        row, the rest of the file is checked (see :meth:`_check_end`)."""
        n = min(rows, self.height - self._done)
        if n < 1:
            raise ValueError("no rows left")
        filtered = self._inflate(n * self._stride)
        if self._done + n == self.height:
            self._check_end()
        stride = self._stride
        if self._plain and not any(filtered[::stride]):
            # every row unfiltered (filter type 0, as this module writes flat bands): the
            # pixels are the rows without their filter byte; no decoder is needed
            # (Pillow's raw decoder skips them: each row starts a stride after the last)
            self._last_row = filtered[-(stride - 1):]
            self._done += n
            return Image.frombytes(self._raw_mode, (self.width, n), memoryview(filtered)[1:],
                                   "raw", self._raw_mode, stride)
        prefix = b"" if self._last_row is None else b"\x00" + self._last_row
        data = zlib.compress(prefix + filtered, 0)
        del filtered
        mini = (PNG_SIGNATURE + _ihdr(self.width, n + bool(prefix), 8, self._colour)
                + self._extra + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))
        del data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(mini)) as opened:
                # one read and one decode call for the band, not one per 64 KB: each call
                # gives up the GIL, and a busy thread beside (the capture's event loop) makes
                # every hand-back wait a switch interval (5 ms)
                opened.decodermaxblock = len(mini)
                opened.load()
                band = opened.crop((0, 1, self.width, n + 1)) if prefix else opened.copy()
        self._last_row = band.crop((0, n - 1, self.width, n)).tobytes("raw", self._raw_mode)
        self._done += n
        return band

    def close(self) -> None:
        """Close the file."""
        self._file.close()


class WholeImage:
    """Any other raster Pillow reads, decoded whole (the memory it takes is the image's), or
    an image already in memory, handed out a band at a time like a PNG read in bands."""

    def __init__(self, source: Path | Image.Image) -> None:
        #: an image handed in stays its owner's to close
        self._owned = not isinstance(source, Image.Image)
        if isinstance(source, Image.Image):
            self._image = source
        else:
            with warnings.catch_warnings():
                # tall screenshots pass Pillow's soft pixel limit; the file is our own capture
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                self._image = Image.open(source)
                self._image.load()
        self.width, self.height = self._image.size
        self._done = 0

    def read(self, rows: int) -> Image.Image:
        n = min(rows, self.height - self._done)
        if n < 1:
            raise ValueError("no rows left")
        band = self._image.crop((0, self._done, self.width, self._done + n))
        self._done += n
        return band

    def close(self) -> None:
        """Close the image if this source opened it."""
        if self._owned:
            self._image.close()


def open_bands(path: Path) -> BandSource:
    """``path`` read in bands: streamed when it is an 8-bit non-interlaced PNG, else decoded
    whole by Pillow (any raster Pillow reads)."""
    try:
        return PngBandReader(path)
    except ValueError:
        return WholeImage(path)
