"""``python -m refusal_lesson``: the same as the ``refusal-lesson`` command."""

import os
import sys

# `python -m` puts the working folder first on sys.path: a numpy.py left
# there (by a submission graded earlier, say) must not be imported as NumPy.
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd():
    del sys.path[0]

from .commands import main

sys.exit(main())
