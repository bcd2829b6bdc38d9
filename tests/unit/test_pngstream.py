"""Streaming PNG: files written a band at a time read back equal by Pillow; files read a band
at a time equal Pillow's whole decode, in every 8-bit colour type; damage is refused."""

from __future__ import annotations

import random
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from somecapture import pngstream
from somecapture.pngstream import PngBandReader, PngBandWriter, open_bands


def _page_like(width: int, height: int, seed: int = 1) -> Image.Image:
    """Flat colours, text-like bars, a gradient and a block of noise (a photo's worth)."""
    rnd = random.Random(seed)
    image = Image.new("RGB", (width, height), (246, 247, 249))
    draw = ImageDraw.Draw(image)
    for _ in range(height // 8):
        x, y = rnd.randrange(width), rnd.randrange(height)
        draw.rectangle((x, y, x + rnd.randrange(1, 90), y + rnd.randrange(1, 20)),
                       fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    gradient = Image.linear_gradient("L").resize((width, height // 5)).convert("RGB")
    image.paste(gradient, (0, height // 3))
    noise = Image.effect_noise((width, height // 6), 70).convert("RGB")
    image.paste(noise, (0, 2 * height // 3))
    return image


def _write(path: Path, image: Image.Image, bands: list[int], announced: int | None = None
           ) -> int:
    writer = PngBandWriter(path, image.width, announced or image.height)
    top, sizes = 0, iter(bands)
    while top < image.height:
        n = next(sizes, 1000)
        band = image.crop((0, top, image.width, min(image.height, top + n)))
        writer.write(band)
        top += band.height
    return writer.finish()


def _chunks(path: Path) -> list[tuple[bytes, bytes, int]]:
    """(type, data, stored CRC) of every chunk, read with struct: no PNG library involved."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        out.append((kind, data[pos + 8:pos + 8 + length], crc))
        pos += 12 + length
    assert pos == len(data)
    return out


def test_written_in_bands_reads_back_equal(tmp_path: Path) -> None:
    image = _page_like(333, 2600)
    path = tmp_path / "bands.png"
    # bands of one row, of odd sizes, one larger than the writer's own band
    assert _write(path, image, [1, 2, 517, 1500, 3, 41]) == image.height
    with Image.open(path) as back:
        assert back.mode == "RGB" and back.size == image.size
        assert back.tobytes() == image.tobytes()
    with Image.open(path) as back:
        back.verify()  # Pillow's own check of the chunks and their CRCs
    chunks = _chunks(path)
    assert [c[0] for c in chunks][:1] == [b"IHDR"] and chunks[-1][0] == b"IEND"
    for kind, data, crc in chunks:
        assert crc == zlib.crc32(kind + data)
    # one zlib stream across all IDAT chunks, holding exactly the image's filtered rows
    raw = zlib.decompress(b"".join(d for k, d, _ in chunks if k == b"IDAT"))
    assert len(raw) == image.height * (1 + 3 * image.width)
    if shutil.which("pngcheck"):
        subprocess.run(["pngcheck", str(path)], check=True, capture_output=True)


@pytest.fixture()
def adaptive(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The heights of the bands (with the row above) filtered adaptively, as they come."""
    heights: list[int] = []
    original = pngstream._filtered_rows

    def counted(image: Image.Image) -> bytes:
        heights.append(image.height)
        return original(image)

    monkeypatch.setattr(pngstream, "_filtered_rows", counted)
    return heights


def test_flat_bands_go_unfiltered_and_photo_bands_adaptively(
        tmp_path: Path, adaptive: list[int]) -> None:
    flat = Image.new("RGB", (640, 1024), (255, 255, 255))
    ImageDraw.Draw(flat).rectangle((20, 100, 300, 140), fill=(20, 20, 20))
    photo = Image.effect_noise((640, 1024), 90).convert("RGB")
    image = Image.new("RGB", (640, 3072))
    for k, part in enumerate([flat, photo, flat]):
        image.paste(part, (0, 1024 * k))
    path = tmp_path / "mixed.png"
    _write(path, image, [1024, 1024, 1024])
    # only the noise band was filtered adaptively (the row above it in front: 1025 rows)
    assert adaptive == [1025]
    with Image.open(path) as back:
        assert back.tobytes() == image.tobytes()
    rows = zlib.decompress(b"".join(d for k, d, _ in _chunks(path) if k == b"IDAT"))
    stride = 1 + 3 * 640
    filters = [rows[y * stride] for y in range(3072)]
    assert set(filters[:1024]) == {0} and set(filters[2048:]) == {0}
    assert set(filters[1024:2048]) - {0}, "the noise band kept filter 0 throughout"


def test_fewer_rows_than_announced_correct_the_header(tmp_path: Path) -> None:
    image = _page_like(200, 700)
    path = tmp_path / "cut.png"
    assert _write(path, image, [300, 400], announced=5000) == 700
    kind, data, _ = _chunks(path)[0]
    assert kind == b"IHDR" and struct.unpack(">II", data[:8]) == (200, 700)
    with Image.open(path) as back:
        assert back.size == (200, 700) and back.tobytes() == image.tobytes()


def test_writer_refuses_wrong_bands_and_aborts_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "w.png"
    writer = PngBandWriter(path, 100, 10)
    with pytest.raises(ValueError):
        writer.write(Image.new("RGBA", (100, 2)))
    with pytest.raises(ValueError):
        writer.write(Image.new("RGB", (99, 2)))
    with pytest.raises(ValueError):
        writer.write(Image.new("RGB", (100, 11)))
    writer.write_blank(4)
    writer.abort()
    assert not path.exists()
    empty = PngBandWriter(tmp_path / "empty.png", 10, 10)
    with pytest.raises(ValueError):
        empty.finish()
    assert not (tmp_path / "empty.png").exists()


def _variants(base: Image.Image) -> dict[str, tuple[Image.Image, dict[str, object]]]:
    rgba = base.copy()
    rgba.putalpha(Image.linear_gradient("L").resize(base.size))
    grey = base.convert("L")
    la = grey.copy()
    la.putalpha(Image.linear_gradient("L").rotate(90).resize(base.size))
    palette = base.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    return {
        "RGB": (base, {}),
        "RGBA": (rgba, {}),
        "L": (grey, {}),
        "LA": (la, {}),
        "P": (palette, {}),
        "P+tRNS": (palette, {"transparency": 3}),
        "RGB+tRNS": (base, {"transparency": (246, 247, 249)}),
        "L+tRNS": (grey, {"transparency": 17}),
    }


@pytest.mark.parametrize("name", list(_variants(Image.new("RGB", (1, 1)))))
def test_read_in_bands_equals_the_whole_decode(tmp_path: Path, name: str) -> None:
    image, options = _variants(_page_like(257, 2300, seed=7))[name]
    path = tmp_path / "in.png"
    image.save(path, **options)  # Pillow's writer: every filter type occurs
    reader = open_bands(path)
    assert isinstance(reader, PngBandReader)
    rnd = random.Random(5)
    bands = []
    try:
        while sum(b.height for b in bands) < reader.height:
            bands.append(reader.read(rnd.choice([1, 2, 99, 700, 1024])))
        with pytest.raises(ValueError):
            reader.read(1)
    finally:
        reader.close()
    with Image.open(path) as whole:
        whole.load()
        assert (reader.width, reader.height) == whole.size
        assert {b.mode for b in bands} == {whole.mode}
        assert all(b.info == whole.info for b in bands)  # palette transparency kept
        joined = b"".join(b.tobytes() for b in bands)
        assert joined == whole.tobytes()
        if whole.mode == "P":
            assert bands[-1].getpalette() == whole.getpalette()


def test_other_rasters_are_decoded_whole(tmp_path: Path) -> None:
    image = _page_like(120, 300)
    # Adam7 (Pillow writes none: the header's flag is set by hand) is not streamed
    plain = tmp_path / "plain.png"
    image.save(plain)
    data = bytearray(plain.read_bytes())
    data[28] = 1  # IHDR: width, height, depth, colour, compression, filter, *interlace*
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    interlaced = tmp_path / "interlaced.png"
    interlaced.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="interlaced"):
        PngBandReader(interlaced)
    sixteen = tmp_path / "16.png"
    image.convert("I;16").save(sixteen)
    jpeg = tmp_path / "shot.jpg"
    image.save(jpeg, quality=95)
    for path in (sixteen, jpeg):
        source = open_bands(path)
        assert not isinstance(source, PngBandReader)
        with Image.open(path) as whole:
            whole.load()
            top = source.read(100)
            rest = source.read(1000)
            assert top.tobytes() + rest.tobytes() == whole.tobytes()
        source.close()


def _read_all(path: Path) -> None:
    reader = PngBandReader(path)
    try:
        while True:
            reader.read(256)
    except ValueError:  # no rows left: read whole
        pass
    finally:
        reader.close()


def test_damage_is_refused(tmp_path: Path) -> None:
    image = _page_like(300, 900)
    good = tmp_path / "good.png"
    _write(good, image, [900])
    _read_all(good)
    data = good.read_bytes()
    first_idat = data.index(b"IDAT")
    # a flipped bit in the image data: the IDAT chunk's CRC no longer matches
    flipped = bytearray(data)
    flipped[first_idat + 200] ^= 0x01
    bad = tmp_path / "bad.png"
    bad.write_bytes(bytes(flipped))
    with pytest.raises(OSError, match="checksum"):
        _read_all(bad)
    # cut short inside the image data
    short = tmp_path / "short.png"
    short.write_bytes(data[:first_idat + 300])
    with pytest.raises(OSError, match="ends early"):
        _read_all(short)
    # complete chunks, but the zlib stream stops before the last row
    rows = zlib.decompress(b"".join(d for k, d, _ in _chunks(good) if k == b"IDAT"))
    truncated = zlib.compress(rows[: len(rows) // 2])
    ihdr = _chunks(good)[0][1]

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    half = tmp_path / "half.png"
    half.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", truncated)
                     + chunk(b"IEND", b""))
    with pytest.raises(OSError, match="ends early"):
        _read_all(half)


def _png(ihdr: bytes, *chunks: tuple[bytes, bytes]) -> bytes:
    """A PNG file of the given chunks, CRCs computed here (no PNG library involved)."""
    out = b"\x89PNG\r\n\x1a\n"
    for kind, body in ((b"IHDR", ihdr), *chunks):
        out += (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    return out


def test_the_end_of_the_image_data_is_checked_too(tmp_path: Path) -> None:
    """Damage after the last row's bytes (the zlib checksum, a later chunk, the end chunk) is
    found, although no row needs those bytes."""
    image = _page_like(200, 300)
    good = tmp_path / "good.png"
    _write(good, image, [300])
    ihdr = _chunks(good)[0][1]
    stream = b"".join(d for k, d, _ in _chunks(good) if k == b"IDAT")
    assert len(stream) > 40
    # the stream in two chunks, the second only the last 4 bytes (the Adler-32 checksum)
    split = _png(ihdr, (b"IDAT", stream[:-4]), (b"IDAT", stream[-4:]), (b"IEND", b""))
    (tmp_path / "split.png").write_bytes(split)
    reader = PngBandReader(tmp_path / "split.png")
    bands = [reader.read(128) for _ in range(3)]
    reader.close()
    whole = Image.new("RGB", (200, 300))
    for k, band in enumerate(bands):
        whole.paste(band, (0, 128 * k))
    assert whole.tobytes() == image.tobytes()
    # the checksum of the whole stream is wrong: every row decodes, the stream is damaged
    wrong = bytearray(stream)
    wrong[-1] ^= 0x01
    (tmp_path / "adler.png").write_bytes(
        _png(ihdr, (b"IDAT", bytes(wrong[:-4])), (b"IDAT", bytes(wrong[-4:])), (b"IEND", b"")))
    with pytest.raises(OSError, match="damaged"):
        _read_all(tmp_path / "adler.png")
    # the chunk with the stream's last bytes is missing
    (tmp_path / "cut.png").write_bytes(_png(ihdr, (b"IDAT", stream[:-4]), (b"IEND", b"")))
    with pytest.raises(OSError, match="ends early"):
        _read_all(tmp_path / "cut.png")
    # a damaged chunk after the image data (its CRC broken)
    tail = bytearray(_png(ihdr, (b"IDAT", stream), (b"tEXt", b"Comment\0hei"), (b"IEND", b"")))
    tail[tail.index(b"tEXt") + 6] ^= 0x01
    (tmp_path / "text.png").write_bytes(bytes(tail))
    with pytest.raises(OSError, match="checksum"):
        _read_all(tmp_path / "text.png")
    # no end chunk at all
    (tmp_path / "noend.png").write_bytes(_png(ihdr, (b"IDAT", stream)))
    with pytest.raises(OSError, match="ends early"):
        _read_all(tmp_path / "noend.png")


def test_a_small_photo_band_is_filtered_adaptively(tmp_path: Path, adaptive: list[int]
                                                  ) -> None:
    """A band too small for zlib to have output much yet is judged on what it compresses to,
    not on the little zlib gave back so far."""
    photo = Image.effect_noise((320, 40), 90).convert("RGB")  # 38 KB raw
    path = tmp_path / "small.png"
    _write(path, photo, [40])
    assert adaptive == [40]
    with Image.open(path) as back:
        assert back.tobytes() == photo.tobytes()
