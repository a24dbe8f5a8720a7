"""The autograder: checks, misconception feedback and a sandbox for student code.

Student code never runs in the grader's process.  :mod:`.sandbox` starts it
in a lean child process (:mod:`.child`), which only reports what the
student's functions returned; the grader judges those answers against
scikit-learn (:mod:`.oracle`), names a mistake only on evidence
(:mod:`.diagnosis`) and says each cause once (:mod:`.feedback`).  What it
knows about each exercise is in one definition per exercise
(:mod:`.definitions`).
The same path serves ``check()`` in the notebook (:mod:`.notebook`), one
submission on the command line and a whole batch (:mod:`.batch`).

Nothing here is imported by ``import refusal_lesson``.
"""
