"""A word-by-word difference between two charter versions, question by question."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .models import CharterVersion
from .questions import QUESTIONS, Question

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class QuestionDiff:
    question: Question
    old: str
    new: str
    # (kind, text): kind is "equal", "removed" or "added"
    parts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def status(self) -> str:
        if not self.changed:
            return "same"
        if not self.old:
            return "answered"
        if not self.new:
            return "emptied"
        return "changed"


def _parts(old: str, new: str) -> list[tuple[str, str]]:
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(b[j1:j2])))
    return parts


def charter_diff(old: CharterVersion, new: CharterVersion) -> list[QuestionDiff]:
    rows = []
    for question in QUESTIONS:
        before, after = old.answer(question.number), new.answer(question.number)
        row = QuestionDiff(question, before, after)
        if row.changed:
            row.parts = _parts(before, after)
        rows.append(row)
    return rows
