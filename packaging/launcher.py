"""Entry point of the frozen app: the same as ``python -m desktop_app``.

Both executables of the bundle run this: with no command the window opens, otherwise the
command runs (``smime-guard check ...``, ``smime-guard --self-test``).
"""

import sys

from desktop_app.app.main import main

if __name__ == "__main__":
    sys.exit(main())
