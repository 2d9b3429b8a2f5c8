"""Run the theming command line: ``python -m feedback.theming --help``."""

import sys

from feedback.theming.cli import main

sys.exit(main())
