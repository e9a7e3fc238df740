"""What the tests share: the server under test, and content made here with the standard library.

The server is given by COUNTERSIGNAL_URL and COUNTERSIGNAL_KEY (an admin key); without them
every test is skipped. Pictures and videos are drawn here, so what the server computes from
them (PDQ hashes, digests, frame counts) is compared with facts the tests know independently.
"""

from __future__ import annotations

import math
import os
import random
import struct
import unittest
import uuid
import zlib
from collections.abc import Callable

from countersignal_client import Countersignal

Pixel = Callable[[int, int], tuple[int, int, int]]


def client() -> Countersignal:
    url = os.environ.get("COUNTERSIGNAL_URL")
    key = os.environ.get("COUNTERSIGNAL_KEY")
    if not url or not key:
        raise unittest.SkipTest("set COUNTERSIGNAL_URL and COUNTERSIGNAL_KEY (an admin key) to test against a server")
    return Countersignal(url, key)


def unique(name: str) -> str:
    """Bank names are unique on a server that other runs may share."""
    return f"{name} {uuid.uuid4().hex[:12]}"


def random_pdq(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def flip_bits(hex_hash: str, count: int, rng: random.Random) -> str:
    """The hash with ``count`` distinct bits flipped: a neighbour at a distance known in advance."""
    value = int(hex_hash, 16)
    for bit in rng.sample(range(256), count):
        value ^= 1 << bit
    return f"{value:064x}"


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def picture(width: int = 128, height: int = 128, seed: int = 0) -> Pixel:
    """A picture with a bright disc, a dark bar and a gradient: no symmetry, so every rotation differs."""
    cx, cy, r = width * (0.3 + 0.02 * seed), height * 0.35, width * 0.18

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        grey = 40 + (150 * x) // width + (40 * y) // height
        if (x - cx) ** 2 + (y - cy) ** 2 < r * r:
            grey = 250
        elif 0.6 * width < x < 0.9 * width and 0.55 * height < y < 0.7 * height:
            grey = 10
        grey = max(0, min(255, grey + int(12 * math.sin((x + 3 * seed) / 5.0))))
        return grey, (grey * 3) // 4, 255 - grey

    return pixel


def rotated_anticlockwise(pixel: Pixel, size: int) -> Pixel:
    """The square picture turned a quarter anticlockwise, as displayed."""
    return lambda x, y: pixel(size - 1 - y, x)


def png(pixel: Pixel, width: int = 128, height: int = 128) -> bytes:
    """An 8-bit RGB PNG."""
    rows = b"".join(b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def avi(frames: list[Pixel], width: int = 64, height: int = 64, fps: int = 5) -> bytes:
    """An uncompressed AVI (24-bit DIB frames): a real video container FFmpeg reads, built by hand."""
    frame_size = width * height * 3  # rows of a width divisible by 4 need no padding

    def chunk(kind: bytes, data: bytes) -> bytes:
        return kind + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")

    def listed(kind: bytes, data: bytes) -> bytes:
        return chunk(b"LIST", kind + data)

    def frame(pixel: Pixel) -> bytes:
        # Bottom-up rows of blue, green, red, as a DIB stores them.
        return bytes(c for y in reversed(range(height)) for x in range(width) for c in reversed(pixel(x, y)))

    avih = struct.pack("<14I", 1_000_000 // fps, frame_size * fps, 0, 0x10, len(frames), 0, 1, frame_size,
                       width, height, 0, 0, 0, 0)
    strh = b"vids" + b"DIB " + struct.pack("<IHHIIIIIIiI4h", 0, 0, 0, 0, 1, fps, 0, len(frames), frame_size,
                                           -1, 0, 0, 0, width, height)
    strf = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, frame_size, 0, 0, 0, 0)
    header = listed(b"hdrl", chunk(b"avih", avih) + listed(b"strl", chunk(b"strh", strh) + chunk(b"strf", strf)))
    movi = b"".join(chunk(b"00db", frame(pixel)) for pixel in frames)
    index = b"".join(struct.pack("<4sIII", b"00db", 0x10, 4 + i * (8 + frame_size), frame_size)
                     for i in range(len(frames)))
    return chunk(b"RIFF", b"AVI " + header + listed(b"movi", movi) + chunk(b"idx1", index))
