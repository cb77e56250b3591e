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
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    # [removed, added] for a change, or [text] for an unchanged run. A run of only whitespace
    # between two changes joins them, so a reader sees whole phrases replaced.
    runs: list[list[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            runs.append([before])
        elif runs and len(runs[-1]) == 2:
            runs[-1][0] += before
            runs[-1][1] += after
        elif len(runs) >= 2 and len(runs[-2]) == 2 and not runs[-1][0].strip():
            gap = runs.pop()[0]
            runs[-1][0] += gap + before
            runs[-1][1] += gap + after
        else:
            runs.append([before, after])
    parts: list[tuple[str, str]] = []
    for run in runs:
        if len(run) == 1:
            parts.append(("equal", run[0]))
            continue
        if run[0]:
            parts.append(("removed", run[0]))
        if run[1]:
            parts.append(("added", run[1]))
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
