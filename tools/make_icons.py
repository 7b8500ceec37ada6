#!/usr/bin/env python3
"""Draws the app icons (PNG) into web/icons/ with the standard library only: `python3 tools/make_icons.py`.

A white funnel on the brand teal. "any" icons are a rounded square on transparency; the maskable
and Apple icons fill the whole square and keep the glyph inside the central safe zone (80 %).
Shapes are polygons filled by scanlines with 4× vertical supersampling and exact horizontal coverage.
"""

import math
import pathlib
import struct
import zlib

ICONS = pathlib.Path(__file__).resolve().parent.parent / "web" / "icons"
TEAL = (15, 118, 110)
WHITE = (255, 255, 255)


def rounded_rect(x0, y0, x1, y1, r, steps=24):
    points = []
    for cx, cy, start in ((x1 - r, y0 + r, -90), (x1 - r, y1 - r, 0), (x0 + r, y1 - r, 90), (x0 + r, y0 + r, 180)):
        for i in range(steps + 1):
            a = math.radians(start + 90 * i / steps)
            points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return points


def funnel(cx, cy, s):
    """The glyph, centred on (cx, cy), `s` wide: a brim, a cone and a stem, plus a coin above."""
    def p(x, y):
        return (cx + x * s, cy + y * s)

    body = [p(-0.5, -0.22), p(0.5, -0.22), p(0.5, -0.13), p(0.09, 0.2), p(0.09, 0.5), p(-0.09, 0.42), p(-0.09, 0.2), p(-0.5, -0.13)]
    coin = [p(0.2 * math.cos(a), -0.4 + 0.075 * math.sin(a)) for a in (2 * math.pi * i / 48 for i in range(48))]
    return [body, coin]


def coverage(size, polygons, sub=4):
    """Per-pixel coverage (0..1) of the union of non-overlapping polygons."""
    cov = [[0.0] * size for _ in range(size)]
    for poly in polygons:
        edges = list(zip(poly, poly[1:] + poly[:1]))
        for py in range(size):
            row = cov[py]
            for k in range(sub):
                y = py + (k + 0.5) / sub
                xs = sorted(
                    x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                    for (x0, y0), (x1, y1) in edges
                    if (y0 <= y < y1) or (y1 <= y < y0)
                )
                for a, b in zip(xs[::2], xs[1::2]):
                    a, b = max(a, 0.0), min(b, float(size))
                    for px in range(int(a), min(int(math.ceil(b)), size)):
                        row[px] += (min(b, px + 1) - max(a, px)) / sub
    return cov


def png(path, size, full_bleed, glyph_scale):
    if full_bleed:
        background = [[(0, 0), (size, 0), (size, size), (0, size)]]
    else:
        m = size * 0.04
        background = [rounded_rect(m, m, size - m, size - m, size * 0.2)]
    bg = coverage(size, background)
    fg = coverage(size, funnel(size / 2, size * 0.54, size * glyph_scale))
    raw = bytearray()
    for y in range(size):
        raw.append(0)
        for x in range(size):
            b, f = min(bg[y][x], 1.0), min(fg[y][x], 1.0)
            alpha = b + f * (1 - b) if not full_bleed else 1.0
            rgb = [TEAL[i] * (1 - f) + WHITE[i] * f for i in range(3)]
            raw += bytes([round(c) for c in rgb] + [round(255 * max(alpha, f))])
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    (ICONS / path).write_bytes(data)
    print(path, len(data), "bytes")


if __name__ == "__main__":
    png("icon-192.png", 192, full_bleed=False, glyph_scale=0.56)
    png("icon-512.png", 512, full_bleed=False, glyph_scale=0.56)
    png("maskable-192.png", 192, full_bleed=True, glyph_scale=0.44)
    png("maskable-512.png", 512, full_bleed=True, glyph_scale=0.44)
    png("apple-touch-icon.png", 180, full_bleed=True, glyph_scale=0.5)
