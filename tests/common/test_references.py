"""The repository stands alone: every promise, rule, path and test a text cites exists here.

Code and documents cite "promise N" (docs/promises.md) and "rule N" (docs/architecture.md), name
files and tests, and once pointed at design notes kept outside the repository. A reader who
follows a reference must arrive somewhere, so a dangling one fails here.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Text we write; the catalogues repeat source strings and vendor files are not ours.
CODE_SUFFIXES = {".py", ".html", ".txt", ".js", ".css", ".md"}
SKIPPED = ("locale", "vendor", "node_modules", "__pycache__")

CITE = re.compile(r"\b(promises?|rules?)\s+(\d+(?:\s*(?:[–-]|,|and|&)\s*\d+)*)\b", re.IGNORECASE)
# A repository path as documents write it: starts at a top-level folder, ends on a name or "/".
PATH = re.compile(r"(?<![\w/.<-])((?:src|tests|docs|bench|\.ci)/[\w./-]*[\w/])")
TEST_NAME = re.compile(r"`(test_\w+)")
MD_NAME = re.compile(r"(?<![\w/.-])([\w-]+\.md)\b")
OUTSIDE = re.compile(r"shared/|seed-(?:en|fi)")


def _texts():
    """Every text file of ours that may cite something (not this one: it holds bad examples)."""
    this_file = Path(__file__).resolve()
    for top in ("src", "tests", "docs", "bench"):
        for path in sorted((ROOT / top).rglob("*")):
            ours = path.suffix in CODE_SUFFIXES and not set(SKIPPED) & set(path.parts)
            if ours and path.resolve() != this_file:
                yield path
    yield ROOT / "README.md"
    yield ROOT / "CONTRIBUTING.md"


def _documents():
    yield from sorted(DOCS.glob("*.md"))
    yield ROOT / "README.md"
    yield ROOT / "CONTRIBUTING.md"


def _numbers(spec: str) -> list[int]:
    """'8–12' → 8…12, '7 and 23' → 7, 23."""
    numbers = []
    for part in re.split(r"\s*(?:,|and|&)\s*", spec):
        ends = [int(n) for n in re.split(r"\s*[–-]\s*", part) if n]
        numbers.extend(range(ends[0], ends[-1] + 1))
    return numbers


def defined_promises(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"^### (\d+)\. ", text, re.MULTILINE)}


def defined_rules(text: str) -> set[int]:
    section = re.split(r"^## Rules of the house", text, flags=re.MULTILINE)[1]
    section = re.split(r"^## ", section, flags=re.MULTILINE)[0]
    return {int(n) for n in re.findall(r"^(\d+)\. ", section, re.MULTILINE)}


def dangling_citations(texts, promises: set[int], rules: set[int]) -> list[str]:
    found = []
    for path in texts:
        for kind, spec in CITE.findall(path.read_text(encoding="utf-8")):
            known = promises if kind.lower().startswith("promise") else rules
            found += [f"{path.name}: {kind} {n}" for n in _numbers(spec) if n not in known]
    return found


def test_every_cited_promise_and_rule_exists():
    promises = defined_promises((DOCS / "promises.md").read_text(encoding="utf-8"))
    rules = defined_rules((DOCS / "architecture.md").read_text(encoding="utf-8"))
    assert promises == set(range(1, 31))
    assert rules == set(range(1, len(rules) + 1)) and len(rules) >= 10
    assert dangling_citations(_texts(), promises, rules) == []


def test_every_path_named_in_the_documents_exists():
    missing = [
        f"{doc.name}: {name}"
        for doc in _documents()
        for name in PATH.findall(doc.read_text(encoding="utf-8"))
        if not (ROOT / name).exists()
    ]
    assert missing == []


def test_every_test_named_in_the_documents_exists():
    defined = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        defined |= set(re.findall(r"^(?:async )?def (test_\w+)", path.read_text(), re.MULTILINE))
    missing = [
        f"{doc.name}: {name}"
        for doc in _documents()
        for name in TEST_NAME.findall(doc.read_text(encoding="utf-8"))
        if name not in defined
    ]
    assert missing == []


def test_every_document_named_by_file_name_exists():
    """A bare "privacy.md" in a comment means docs/privacy.md (or a file at the root)."""
    missing = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _texts()
        for name in MD_NAME.findall(path.read_text(encoding="utf-8"))
        if not (DOCS / name).exists() and not (ROOT / name).exists()
    ]
    assert missing == []


def test_nothing_cites_design_notes_outside_the_repository():
    found = [
        f"{path.relative_to(ROOT)}: {match}"
        for path in _texts()
        for match in OUTSIDE.findall(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_checks_see_a_dangling_reference(tmp_path):
    text = tmp_path / "module.py"
    text.write_text('"""Checked at download time (promise 5); promises 8–10 and rule 3."""\n')
    assert dangling_citations([text], promises={5, 8, 9}, rules={1, 2}) == [
        "module.py: promises 10",
        "module.py: rule 3",
    ]
    assert PATH.findall("see `docs/ties.md`, tests/a.py::test_x and https://x.org/docs/y.md") == [
        "docs/ties.md",
        "tests/a.py",
    ]
    assert OUTSIDE.findall("read ../shared/design/x.md and seed-en.md §4") == ["shared/", "seed-en"]
    assert defined_promises("### 1. One\n\n### 2. Two\n#### 3. not one\n") == {1, 2}
    rules_text = "## Rules of the house\n\n1. One\n2. Two\n\n## Next\n\n3. Not a rule\n"
    assert defined_rules(rules_text) == {1, 2}


def test_every_document_is_in_the_readmes_list():
    """A document nobody can find from the README is as lost as one outside the repository."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split("## Documentation", 1)[1]
    documents = [f"docs/{doc.name}" for doc in sorted(DOCS.glob("*.md"))]
    assert len(documents) > 20
    assert [name for name in documents if f"`{name}`" not in listed] == []
