"""``python -m twentyfive.cli``: the same as the ``twentyfive`` command."""

import sys

from twentyfive.cli import main

sys.exit(main())
