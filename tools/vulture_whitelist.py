"""Names vulture would report as unused, each kept for a stated reason.

tests/test_lint.py passes this file to vulture beside the code; each line
"uses" one name. Add a name only when something outside the code reads it
(a framework, the standard library, an instructor), and say what.
"""

# ruff: noqa
# Python's module protocol: refusal_lesson serves the exercises lazily.
__getattr__
__dir__
# IPython calls it on %load_ext refusal_lesson.reloading.
load_ipython_extension
# pytest reads it from conftest.py.
collect_ignore
# Set on an object from the standard library, which reads it.
_.external_attr  # zipfile.ZipInfo
_.compress_type  # zipfile.ZipInfo
# Kept for instructors, and called by the tests that hold the docs' links to them.
binder_url
colab_url
hub_url
# matplotlib's `fig, ax = plt.subplots()` in the notebooks, kept as students know it.
fig
# Sandbox.uids: the hostile-submission tests check, without private state,
# that no child of a batch outlives it.
_.uids
