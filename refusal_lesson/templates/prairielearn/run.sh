#!/bin/sh
# PrairieLearn runs this in the grading container for every submission.
# GRADE_ROOT is for local tests; PrairieLearn's jobs live in /grade.
ROOT="${GRADE_ROOT:-/grade}"
cd "$ROOT/tests" && exec python3 -m refusal_lesson.grading.prairielearn "$ROOT"
