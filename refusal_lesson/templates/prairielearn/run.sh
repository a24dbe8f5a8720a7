#!/bin/sh
# PrairieLearn runs this in the grading container for every submission.
# GRADE_ROOT is for local tests; PrairieLearn's jobs live in /grade.
# tests/ (the settings with the hidden checks' seed, and the grader) is made
# readable by its owner alone first: each submission runs as a user of its own.
ROOT="${GRADE_ROOT:-/grade}"
chmod -R go-rwx "$ROOT/tests"
cd "$ROOT/tests" && exec python3 -m refusal_lesson.grading.prairielearn "$ROOT"
