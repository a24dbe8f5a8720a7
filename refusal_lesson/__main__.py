"""``python -m refusal_lesson``: the same as the ``refusal-lesson`` command."""

import sys

from .cli import main

sys.exit(main())
