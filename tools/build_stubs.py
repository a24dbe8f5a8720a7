"""Write refusal_lesson/exercises.py from solutions/exercises.py.

Run after editing the solutions: .venv/bin/python tools/build_stubs.py
"""

from refusal_lesson.grading.stubs import ROOT, STUBS, generated_stubs

if __name__ == "__main__":
    (ROOT / STUBS).write_text(generated_stubs(), encoding="utf-8")
    print(f"Wrote {STUBS} from the solutions.")
