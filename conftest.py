"""Root pytest configuration: doctests run everywhere but in the student stubs."""

# The stubs' examples show what a finished exercise returns; running them
# would only prove that the stubs are unfinished, which tests/test_stubs.py
# already checks.
collect_ignore = ["refusal_lesson/exercises.py"]
