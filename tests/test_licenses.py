"""The licenses and the citation agree with each other and with pyproject.toml."""

import re

import pytest
from project import ROOT, project

CC_BY_NAMES = ("CC BY 4.0", "CC-BY-4.0", "Creative Commons Attribution 4.0")



def citation():
    """CITATION.cff's top-level scalars and lists, read without a YAML library."""
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    fields = {match[0]: match[1].strip('"') for match in re.findall(r"^([\w-]+): *(\S.*)$", text, re.M)}
    for key, block in re.findall(r"^([\w-]+):\n((?:  - .*\n)+)", text, re.M):
        fields[key] = [item.strip().removeprefix("- ").strip('"') for item in block.splitlines()]
    return fields


def test_license_expression_names_code_and_content_licenses():
    assert set(project()["license"].split(" AND ")) == {"BSD-3-Clause", "CC-BY-4.0"}
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("BSD 3-Clause License")


def test_license_files_exist():
    for name in project()["license-files"]:
        assert (ROOT / name).is_file(), name


def test_content_license_links_the_legal_code():
    text = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in text


def test_readme_names_both_licenses():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](LICENSE)" in readme and "](LICENSE-CONTENT.md)" in readme
    assert "BSD 3-Clause" in readme and "CC BY 4.0" in readme.replace("\n", " ")


def test_data_card_names_the_data_license():
    card = (ROOT / "refusal_lesson" / "data" / "DATA_CARD.md").read_text(encoding="utf-8")
    assert any(name in card for name in CC_BY_NAMES)


def test_autograder_and_student_bundle_carry_the_licenses():
    from refusal_lesson.grading import bundle

    autograder = bundle.autograder_files("--timeout 2", seed=1)
    release = {path.as_posix() for path in bundle.release_files()}
    for name in project()["license-files"]:
        assert name in autograder and name in release, name


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("cff-version", lambda: "1.2.0"),
        ("version", lambda: project()["version"]),
        ("repository-code", lambda: project()["urls"]["Repository"]),
        ("license", lambda: sorted(project()["license"].split(" AND "))),
    ],
)
def test_citation_agrees_with_pyproject(field, expected):
    value = citation()[field]
    assert (sorted(value) if isinstance(value, list) else value) == expected()


def test_third_party_data_is_attributed_where_it_ships():
    content = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    card = (ROOT / "refusal_lesson" / "data" / "DATA_CARD.md").read_text(encoding="utf-8")
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    source = "https://github.com/paul-rottger/exaggerated-safety"
    for text in (content, card, cff):
        assert source in text
    for text in (content, card):
        assert "xstest_prompts.csv" in text and "Röttger" in text and "CC BY 4.0" in text
