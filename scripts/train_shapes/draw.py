#!/usr/bin/python3
"""Procedurally drawn 32x32 RGB images of simple shapes, and a minimal PNG encoder.

Each image is one shape (CLASSES, in label order) at a random position, size
and rotation, in a random colour on a random background colour, with a little
Gaussian pixel noise. Shapes are rasterized in pure numpy: every pixel is
sampled SUPERSAMPLE x SUPERSAMPLE times, each sample is tested against the
shape in the shape's own (unrotated, centred) coordinates, and the coverage is
the fraction of samples inside. That antialiases edges the way a renderer would.

Everything is driven by a numpy Generator, so a seed gives the same pixels (and
the same PNG bytes) on every run.

CLI: draws a preview sheet (one row per class) to look at the data:
  /usr/bin/python3 scripts/train_shapes/draw.py --out /tmp/shapes.png --per-class 12
"""

import argparse
import struct
import zlib

import numpy as np

CLASSES = ("circle", "square", "triangle", "cross", "horizontal_bar", "vertical_bar")
SIZE = 32
SUPERSAMPLE = 4
# Foreground and background must differ by at least this much (RGB distance on
# 0..255), otherwise the shape would be invisible and its label meaningless.
MIN_CONTRAST = 100.0
MAX_NOISE_STD = 8.0
# Bars may tilt this much (degrees) and still be called horizontal/vertical.
BAR_TILT = 12.0


def _sample_grid(size=SIZE, ss=SUPERSAMPLE):
    """Pixel-space coordinates of the sub-pixel sample centres, shape [size*ss, size*ss]."""
    c = (np.arange(size * ss) + 0.5) / ss
    return np.meshgrid(c, c, indexing="xy")  # x varies along columns, y along rows


_GRID_X, _GRID_Y = _sample_grid()


def _in_box(x, y, half_w, half_h):
    return (np.abs(x) <= half_w) & (np.abs(y) <= half_h)


def _in_convex_polygon(x, y, vertices):
    """Inside test against counter-clockwise vertices: left of every edge."""
    inside = np.ones(x.shape, dtype=bool)
    for (x0, y0), (x1, y1) in zip(vertices, np.roll(vertices, -1, axis=0)):
        inside &= (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0) >= 0
    return inside


# Each shape: a function of the random generator returning
#   (extent, rotation period in degrees, inside(x, y) in local coordinates)
# where extent is the radius of a circle enclosing the shape, used to keep it
# inside the image, and a period of None marks a bar (tilted by at most
# BAR_TILT). Sizes are in pixels of the 32x32 image.

def _circle(rng):
    r = rng.uniform(6.0, 12.0)
    return r, 0.0, lambda x, y: x * x + y * y <= r * r


def _square(rng):
    h = rng.uniform(5.0, 9.5)  # half side
    return h * np.sqrt(2.0), 90.0, lambda x, y: _in_box(x, y, h, h)


def _triangle(rng):
    # Equilateral triangle with its vertices jittered a little, so not every
    # triangle is the same; still clearly a triangle.
    r = rng.uniform(7.5, 13.0)
    angles = np.deg2rad([90.0, 210.0, 330.0]) + rng.uniform(-0.15, 0.15, size=3)
    radii = r * rng.uniform(0.85, 1.0, size=3)
    # y grows downwards in images, so negate y to keep counter-clockwise order
    # in the (x, y) the inside test uses.
    vertices = np.stack([radii * np.cos(angles), -radii * np.sin(angles)], axis=1)[::-1]
    return r, 120.0, lambda x, y: _in_convex_polygon(x, y, vertices)


def _cross(rng):
    arm = rng.uniform(6.5, 13.0)  # half length of each stroke
    half_t = rng.uniform(1.5, 0.3 * arm)  # half thickness
    inside = lambda x, y: _in_box(x, y, arm, half_t) | _in_box(x, y, half_t, arm)  # noqa: E731
    return arm * np.sqrt(1.0 + (half_t / arm) ** 2), 90.0, inside


def _bar(rng, vertical):
    half_l = rng.uniform(7.0, 14.0)
    half_t = rng.uniform(1.5, min(4.0, half_l / 3.0))  # at least 3:1
    hw, hh = (half_t, half_l) if vertical else (half_l, half_t)
    return np.hypot(hw, hh), None, lambda x, y: _in_box(x, y, hw, hh)


SHAPES = {
    "circle": _circle,
    "square": _square,
    "triangle": _triangle,
    "cross": _cross,
    "horizontal_bar": lambda rng: _bar(rng, vertical=False),
    "vertical_bar": lambda rng: _bar(rng, vertical=True),
}
assert tuple(SHAPES) == CLASSES


def _contrasting_colours(rng):
    while True:
        fg, bg = rng.uniform(0.0, 255.0, size=(2, 3))
        if np.linalg.norm(fg - bg) >= MIN_CONTRAST:
            return fg, bg


def coverage(name, rng):
    """Antialiased coverage in [0, 1], shape [SIZE, SIZE], of one random `name` shape."""
    extent, spin, inside = SHAPES[name](rng)
    # Shapes with rotational symmetry only need angles up to their period;
    # bars get a small tilt so horizontal and vertical stay distinct.
    angle = rng.uniform(0.0, spin) if spin is not None else rng.uniform(-BAR_TILT, BAR_TILT)
    margin = min(extent, SIZE / 2 - 1.0) + 0.5
    cx, cy = rng.uniform(margin, SIZE - margin, size=2)
    # Rotate the sample points by -angle around the centre: shape-local coordinates.
    t = np.deg2rad(angle)
    dx, dy = _GRID_X - cx, _GRID_Y - cy
    lx = np.cos(t) * dx + np.sin(t) * dy
    ly = -np.sin(t) * dx + np.cos(t) * dy
    mask = inside(lx, ly).astype(np.float64)
    return mask.reshape(SIZE, SUPERSAMPLE, SIZE, SUPERSAMPLE).mean(axis=(1, 3))


def draw(name, rng):
    """One uint8 RGB image [SIZE, SIZE, 3] of a random `name` shape."""
    alpha = coverage(name, rng)[:, :, None]
    fg, bg = _contrasting_colours(rng)
    image = bg * (1.0 - alpha) + fg * alpha
    image += rng.normal(0.0, rng.uniform(0.0, MAX_NOISE_STD), size=image.shape)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def make_dataset(count, seed):
    """`count` images with balanced, shuffled labels: (uint8 [N, SIZE, SIZE, 3], int64 [N])."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(count) % len(CLASSES))
    images = np.stack([draw(CLASSES[label], rng) for label in labels])
    return images, labels


def encode_png(image):
    """PNG bytes of a uint8 RGB image [H, W, 3]: 8-bit truecolour, no filtering.

    zlib level 9 is fixed, so the same pixels always give the same bytes.
    """
    image = np.ascontiguousarray(image, dtype=np.uint8)
    height, width, channels = image.shape
    assert channels == 3

    def chunk(tag, data):
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    # Each scanline starts with its filter type byte (0 = None).
    raw = b"".join(b"\x00" + image[row].tobytes() for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def decode_png(data):
    """Inverse of encode_png (only what it writes): uint8 RGB [H, W, 3]. For round-trip checks."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, tag = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if tag == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif tag == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = header[:2]
    assert header[2:] == (8, 2, 0, 0, 0), "only 8-bit RGB, unfiltered, non-interlaced"
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, 1 + 3 * width)
    assert not rows[:, 0].any(), "only filter type 0"
    return rows[:, 1:].reshape(height, width, 3).copy()


def preview_sheet(per_class, seed, scale):
    """One row per class of `per_class` images, upscaled by `scale`, 2 px gaps."""
    rng = np.random.default_rng(seed)
    cell = SIZE * scale + 2
    sheet = np.full((len(CLASSES) * cell, per_class * cell, 3), 255, np.uint8)
    for row, name in enumerate(CLASSES):
        for col in range(per_class):
            big = draw(name, rng).repeat(scale, axis=0).repeat(scale, axis=1)
            sheet[row * cell:row * cell + SIZE * scale, col * cell:col * cell + SIZE * scale] = big
    return sheet


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="PNG file to write the preview sheet to")
    parser.add_argument("--per-class", type=int, default=12, help="images per class (row)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=int, default=3, help="pixel upscaling factor")
    args = parser.parse_args()
    with open(args.out, "wb") as f:
        f.write(encode_png(preview_sheet(args.per_class, args.seed, args.scale)))
    print(f"wrote {args.out}: classes {', '.join(CLASSES)}")


if __name__ == "__main__":
    main()
