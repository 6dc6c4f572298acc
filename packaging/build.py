"""Build the desktop bundle: icons, then PyInstaller, then the desktop files; report the size.

    python packaging/build.py [--self-test] [--dist DIR]

The same command on Linux, Windows and macOS. It writes ``dist/smime-guard/`` (on macOS
also ``dist/smime-guard.app``) and, on Linux, the desktop integration files beside the
programs (``share/`` and ``install.sh``). ``--self-test`` then runs the bundle's
``smime-guard --self-test`` and fails the build when it fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import app_metadata  # noqa: E402
import make_icons  # noqa: E402

HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and files under ``folder``, symbolic links not followed (as ``du`` counts)."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def add_linux_integration(bundle: Path, icons: Path) -> None:
    """The .desktop file, hicolor icons, AppStream metainfo and install.sh, in the bundle."""
    share = bundle / "share"
    app_id = app_metadata.APP_ID
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy2(HERE / "linux" / f"{app_id}.desktop", share / "applications")
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    metainfo = (HERE / "linux" / f"{app_id}.metainfo.xml").read_text(encoding="utf-8")
    today = datetime.now(UTC).date().isoformat()
    metainfo = metainfo.replace("@VERSION@", app_metadata.version()).replace("@DATE@", today)
    (share / "metainfo" / f"{app_id}.metainfo.xml").write_text(metainfo, encoding="utf-8")
    for size in HICOLOR_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(icons / f"smime-guard-{size}.png", target / f"{app_id}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(icons / "smime-guard.svg", scalable / f"{app_id}.svg")
    shutil.copy2(HERE / "linux" / "install.sh", bundle / "install.sh")
    shutil.copy2(HERE / "policy.toml", share / "policy.toml.example")


def run_pyinstaller(dist: Path, work: Path) -> None:
    try:
        import PyInstaller.__main__ as pyinstaller  # type: ignore[import-untyped]
    except ImportError:
        raise SystemExit(
            'PyInstaller is not installed: python -m pip install -e ".[package]"'
        ) from None
    pyinstaller.run(
        [
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            f"--distpath={dist}",
            f"--workpath={work}",
            str(HERE / "smime-guard.spec"),
        ]
    )


def console_program(dist: Path) -> Path:
    name = app_metadata.CONSOLE_NAME + (".exe" if sys.platform == "win32" else "")
    return dist / app_metadata.CONSOLE_NAME / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="build folder")
    parser.add_argument(
        "--self-test", action="store_true", help="run the bundle's --self-test afterwards"
    )
    arguments = parser.parse_args(argv)
    dist, work = arguments.dist.resolve(), arguments.work.resolve()

    started = time.monotonic()
    icons = work / "icons"
    make_icons.make_icons(make_icons.DEFAULT_SVG, icons)
    if icons != make_icons.DEFAULT_OUT:
        # The spec looks for the icons in the checkout's build/icons.
        shutil.copytree(icons, make_icons.DEFAULT_OUT, dirs_exist_ok=True)
    run_pyinstaller(dist, work / "pyinstaller")
    bundle = dist / app_metadata.CONSOLE_NAME
    if sys.platform.startswith("linux"):
        add_linux_integration(bundle, icons)
    elapsed = time.monotonic() - started

    size, files = folder_size(bundle)
    print(f"built {bundle} in {elapsed:.0f} s: {size / 1e6:.0f} MB in {files} files")
    if sys.platform == "darwin":
        app = dist / f"{app_metadata.DISPLAY_NAME}.app"
        app_size, _ = folder_size(app)
        print(f"built {app}: {app_size / 1e6:.0f} MB")

    if arguments.self_test:
        environment = dict(os.environ)
        environment.setdefault("QT_QPA_PLATFORM", "offscreen")
        result = subprocess.run(
            [str(console_program(dist)), "--self-test"], env=environment, check=False
        )
        if result.returncode != 0:
            print(f"the bundle's self-test failed (exit {result.returncode})", file=sys.stderr)
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
