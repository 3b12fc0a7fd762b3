"""Entity files: parsing with line numbers, validation, duplicate names."""

import pytest

from roundup.glossary.registry import build_registry, load_registry, parse_entity

NIO = "Name: Nio Inc.\nType: company\nAliases: Nio, NIO Group\nNative-Name: 蔚来\nWebsite: https://www.nio.com\n\nNio Inc. makes cars. It swaps batteries.\n"


def test_parse_fields_and_lines():
    entity, problems = parse_entity("content/entities/nio.md", NIO)
    assert problems == []
    assert (entity.slug, entity.name, entity.type) == ("nio", "Nio Inc.", "company")
    assert entity.aliases == ["Nio", "NIO Group"]
    assert (entity.native_name, entity.website) == ("蔚来", "https://www.nio.com")
    assert entity.body == "Nio Inc. makes cars. It swaps batteries."
    assert entity.lines == {"name": 1, "type": 2, "aliases": 3, "native-name": 4, "website": 5}
    assert entity.body_line == 7


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Type: company\n\nBody.", 1, "missing required 'Name'"),
        ("Name: X\n\nBody.", 1, "missing required 'Type'"),
        ("Name: X\nType: startup\n\nBody.", 2, "unknown Type 'startup'"),
        ("Name: X\nType: company\n", 3, "missing description"),
        ("Name: X\nTpye: company\n\nBody.", 2, "unknown metadata key 'tpye'"),
    ],
)
def test_problems_name_path_and_line(text, line, message):
    _, problems = parse_entity("content/entities/x.md", text)
    assert any(p.line == line and p.message == message and p.level == "error" for p in problems), (
        problems
    )
    assert all(p.path == "content/entities/x.md" for p in problems)


def test_duplicate_name_names_both_files():
    a, _ = parse_entity("content/entities/a.md", "Name: Alpha\nType: company\nAliases: AX\n\nA.")
    b, _ = parse_entity(
        "content/entities/b.md", "Name: Beta\nType: company\nAliases: Gamma, AX\n\nB."
    )
    registry = build_registry([a, b])
    [problem] = registry.problems
    assert problem.format().startswith(
        "content/entities/b.md:3: error: 'AX' (aliases) is already claimed by content/entities/a.md:3"
    )
    assert registry.names["AX"] == "a"


def test_fingerprint_follows_names_only(tmp_path):
    folder = tmp_path / "entities"
    folder.mkdir()
    (folder / "nio.md").write_text(NIO, encoding="utf-8")
    first = load_registry(str(tmp_path), ["entities"]).fingerprint()
    (folder / "nio.md").write_text(NIO.replace("makes cars", "builds cars"), encoding="utf-8")
    assert load_registry(str(tmp_path), ["entities"]).fingerprint() == first
    (folder / "nio.md").write_text(NIO.replace("NIO Group", "NIO Holdings"), encoding="utf-8")
    assert load_registry(str(tmp_path), ["entities"]).fingerprint() != first


def test_shipped_entities_are_valid():
    registry = load_registry("content", ["entities"])
    assert registry.problems == []
    assert len(registry.entities) >= 30
