"""Execute the instructor notebooks and write the student copies.

Usage: .venv/bin/python tools/build_notebooks.py [NAME ...]

With no NAME, every notebook in tools/notebooks/ is built; a NAME is a file
stem such as 01-two-ways-to-fail.  See tools/notebook_build.py.
"""

import sys

from notebook_build import build, drift

if __name__ == "__main__":
    build(names=sys.argv[1:] or None)
    problems = drift()
    for problem in problems:
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)
