"""Allow ``python -m desktop_app``: the same as the ``smime-guard`` command."""

import sys

from desktop_app.app.main import main

sys.exit(main())
