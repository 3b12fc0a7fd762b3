"""Citations that find their paragraph, on a real ``invoke check`` of the shipped site.

Every claim of the Sora roundup's authored digest has its citations moved, in
turn, to the paragraphs of each story it does not cite: each such copy must
warn on that claim's line and suggest one of the paragraphs it cited before.
The digest as shipped warns about nothing.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, project_copy
from conftest import run_invoke as invoke

SORA = "articles/2024-05-23-why-so-few-sora-copycats-in-china.md"
GROUP = re.compile(r"(?:\[paras?\. [^\]]+\])+")


def numbers(group: str) -> list[int]:
    found = []
    for first, last in re.findall(r"(\d+)(?:\s*[–-]\s*(\d+))?", group):
        found.extend(range(int(first), int(last or first) + 1))
    return found


def stories(body: str) -> list[list[int]]:
    """Paragraph numbers of each ``##`` story (paragraphs are blank-line blocks)."""
    found, number = [], 0
    for raw in body.split("\n\n"):
        block = raw.strip()
        if block.startswith("## "):
            found.append([])
        elif block:
            number += 1
            if found:
                found[-1].append(number)
    return found


def variants(text: str):
    """(name, text, line, cited before) for each claim moved to each other story."""
    header, body = text.split("\n\n", 1)
    head, digest = body.split("## Digest", 1)
    offset = text.index("## Digest") + len("## Digest")
    for i, group in enumerate(GROUP.finditer(digest)):
        before = numbers(group.group())
        for k, story in enumerate(stories(head)):
            if set(story) & set(before):
                continue
            moved = "".join(f"[para. {n}]" for n in story[: len(before)])
            new = digest[: group.start()] + moved + digest[group.end() :]
            line = text[: offset + group.start()].count("\n") + 1
            name = f"moved-{i}-{k}"
            new_header = re.sub(r"(?m)^Slug: .*$", f"Slug: {name}", header)
            new_header = re.sub(r"(?m)^Title: ", f"Title: {name} ", new_header)
            yield name, f"{new_header}\n\n{head}## Digest{new}", line, before


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("support"))
    text = (ROOT / "content" / SORA).read_text()
    cases = list(variants(text))
    for name, variant, _, _ in cases:
        (project / "content/articles" / f"{name}.md").write_text(variant)
    result = invoke("check", "--format", "json", cwd=project)
    assert "Traceback" not in result.stderr
    return cases, json.loads(result.stdout)


def test_every_claim_of_the_shipped_digest_is_moved(checked):
    cases, _ = checked
    groups = {name.split("-")[1] for name, _, _, _ in cases}
    assert len(groups) >= 10 and len(cases) >= 2 * len(groups)


def test_the_shipped_digest_warns_about_nothing(checked):
    _, problems = checked
    assert [p for p in problems if p["path"] == f"content/{SORA}"] == []


def test_each_moved_claim_warns_and_suggests_a_paragraph_it_cited(checked):
    cases, problems = checked
    for name, _, line, before in cases:
        found = [p for p in problems if p["path"] == f"content/articles/{name}.md"]
        assert [(p["line"], p["level"]) for p in found] == [(line, "warning")], name
        [problem] = found
        suggested = numbers(problem["suggestion"])
        assert len(suggested) == 1 and suggested[0] in before, (name, problem)
        assert problem["message"] == (
            f"citation may not support this claim; {problem['suggestion']} matches it better"
        )
