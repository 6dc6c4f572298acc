"""Make packaging/'s plain modules (bundle_filter, make_icons, app_metadata) importable."""

import sys
from pathlib import Path

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
if str(PACKAGING) not in sys.path:
    # Appended: packaging/build.py must not hide a "build" package of the environment.
    sys.path.append(str(PACKAGING))
