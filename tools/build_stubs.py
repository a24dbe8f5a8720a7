"""Write refusal_lesson/exercises.py and refusal_lesson/exercise_names.py from the solutions and the definitions.

Run after editing the solutions or adding a definition: .venv/bin/python tools/build_stubs.py
"""

from refusal_lesson.grading.stubs import NAMES, ROOT, STUBS, generated_names, generated_stubs

if __name__ == "__main__":
    (ROOT / STUBS).write_text(generated_stubs(), encoding="utf-8")
    (ROOT / NAMES).write_text(generated_names(), encoding="utf-8")
    print(f"Wrote {STUBS} from the solutions and {NAMES} from the definitions.")
