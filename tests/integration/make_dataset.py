"""Writes the integration project's two data sets into PROJECT_DIR:
data_shapes/ (five 32x32 RGB PNGs) and data_plain/ (three float32 .npy in
NCHW), each with its RKNN dataset.txt. Fixed content: byte-identical runs."""
import struct
import sys
import zlib
from pathlib import Path

import numpy as np


def write_png(path, pixels):
    """An 8-bit RGB PNG from an HxWx3 uint8 array (no dependency beyond zlib)."""
    h, w, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
                     + chunk(b"IEND", b""))


def main(project):
    rng = np.random.default_rng(7)
    shapes = project / "data_shapes"
    shapes.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(5):
        write_png(shapes / f"img_{i}.png", rng.integers(0, 256, (32, 32, 3), dtype=np.uint8))
        lines.append(f"img_{i}.png")
    (shapes / "dataset.txt").write_text("# calibration images\n" + "\n".join(lines) + "\n")

    plain = project / "data_plain"
    plain.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(3):
        np.save(plain / f"sample_{i}.npy", rng.standard_normal((1, 3, 32, 32)).astype(np.float32))
        lines.append(f"sample_{i}.npy")
    (plain / "dataset.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
