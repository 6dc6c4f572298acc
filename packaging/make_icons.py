"""Render the application icon from its SVG: PNG sizes, a Windows .ico and a macOS .icns.

    python packaging/make_icons.py [--svg FILE] [--out DIR]

Qt's SVG renderer draws each size (offscreen, so no display is needed). The .ico and
.icns files hold those PNGs as they are: Windows reads PNG entries in an ICO since Vista
and macOS reads PNG entries in an ICNS since 10.7, so no other tool is needed. On a Mac,
``iconutil -c icns`` on the ``smime-guard.iconset`` folder written beside them makes the
same ICNS with Apple's own tool (see packaging/README.md).
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SVG = HERE / "icons" / "smime-guard.svg"
DEFAULT_OUT = HERE.parent / "build" / "icons"
NAME = "smime-guard"

# Freedesktop hicolor sizes; the ICO's and ICNS's sizes are taken from these renders.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (Apple's icns format, 10.7 and later).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)
# iconutil's input: file names it requires, by pixel size.
ICONSET = (
    ("icon_16x16.png", 16),
    ("icon_16x16@2x.png", 32),
    ("icon_32x32.png", 32),
    ("icon_32x32@2x.png", 64),
    ("icon_128x128.png", 128),
    ("icon_128x128@2x.png", 256),
    ("icon_256x256.png", 256),
    ("icon_256x256@2x.png", 512),
    ("icon_512x512.png", 512),
    ("icon_512x512@2x.png", 1024),
)


def render_pngs(svg: Path, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """The SVG drawn at each size, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG Qt can draw")
    rendered = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes; it takes str
        buffer.close()
        rendered[size] = bytes(data.data())
    del _app
    return rendered


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file of PNG entries (ICONDIR, then one ICONDIRENTRY per size, then the data)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        data = pngs[size]
        # Width and height are one byte each; 0 means 256.
        dimension = 0 if size >= 256 else size
        entries += struct.pack(
            "<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(data), offset + len(payload)
        )
        payload += data
    return header + entries + payload


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file of PNG elements: 'icns', total length, then type, length, data each."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(svg: Path, out: Path) -> list[Path]:
    """Write the PNGs, the ICO, the ICNS and the iconset folder; returns what was written."""
    pngs = render_pngs(svg, PNG_SIZES)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for size, data in pngs.items():
        path = out / f"{NAME}-{size}.png"
        path.write_bytes(data)
        written.append(path)
    ico = out / f"{NAME}.ico"
    ico.write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    icns = out / f"{NAME}.icns"
    icns.write_bytes(icns_bytes(pngs))
    iconset = out / f"{NAME}.iconset"
    iconset.mkdir(exist_ok=True)
    for name, size in ICONSET:
        (iconset / name).write_bytes(pngs[size])
    svg_copy = out / f"{NAME}.svg"
    svg_copy.write_bytes(svg.read_bytes())
    written += [ico, icns, iconset, svg_copy]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=DEFAULT_SVG)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args(argv)
    for path in make_icons(arguments.svg, arguments.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
