"""The list-file parser on a corpus of good and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from somecapture.batchinput import parse_list_bytes, read_list_file
from somecapture.errors import InputError


def parse(text: str | bytes):  # type: ignore[no-untyped-def]
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_list_bytes(data, "list.txt")


def test_plain_text_with_comments_blank_lines_and_all_line_endings() -> None:
    p = parse("# uke 47\r\nhttps://a.no/1\r\n\r\n  https://b.no/2  \rhttps://c.no/3\n# end")
    assert p.format == "text"
    assert [(i.line, i.url) for i in p.items] == [(2, "https://a.no/1"), (4, "https://b.no/2"),
                                                 (5, "https://c.no/3")]
    assert not p.problems and not p.duplicates


def test_bom_is_ignored() -> None:
    p = parse(b"\xef\xbb\xbfhttps://a.no/1\n")
    assert [i.url for i in p.items] == ["https://a.no/1"]


def test_bad_lines_reported_with_line_numbers() -> None:
    p = parse("https://a.no/1\nfile:///etc/passwd\nnot a url\njavascript:alert(1)\n"
              "https://blåbær.no/x\n")
    assert [i.line for i in p.items] == [1, 5]
    assert p.items[1].url == "https://xn--blbr-roah.no/x"
    assert [(pr.line, pr.text) for pr in p.problems] == [
        (2, "file:///etc/passwd"), (3, "not a url"), (4, "javascript:alert(1)")]
    assert "file: scheme" in p.problems[0].reason
    assert str(p.problems[0]).startswith("line 2: ")


def test_duplicates_reported_and_captured_once() -> None:
    p = parse("https://a.no/1\nhttps://A.no/1\nhttps://b.no/\nhttps://a.no/1\n")
    assert [i.url for i in p.items] == ["https://a.no/1", "https://b.no/"]
    assert [(d.line, d.first_line) for d in p.duplicates] == [(2, 1), (4, 1)]


def test_csv_with_metadata_columns() -> None:
    p = parse('url,title,case,archivist,note\nhttps://a.no/1,"Tittel, med komma",2024/1,Kari,\n'
              "https://b.no/2,,,,merknad\n")
    assert p.format == "csv"
    a, b = p.items
    assert (a.line, a.title, a.case, a.archivist, a.note) == (2, "Tittel, med komma", "2024/1",
                                                             "Kari", None)
    assert (b.line, b.title, b.note) == (3, None, "merknad")


def test_semicolon_csv_from_norwegian_excel() -> None:
    p = parse("URL;Title\r\nhttps://a.no/1;Første\r\nhttps://b.no/2;Andre\r\n")
    assert p.format == "csv" and [i.title for i in p.items] == ["Første", "Andre"]


def test_csv_only_url_column() -> None:
    p = parse("url\nhttps://a.no/1\n")
    assert p.format == "csv" and [i.url for i in p.items] == ["https://a.no/1"]


def test_broken_csv_rows_are_reported() -> None:
    p = parse('url,title\nhttps://a.no/1,ok\nhttps://b.no/2,too,many\n"https://c.no/3,unclosed\n')
    assert [i.line for i in p.items] == [2]
    assert any(pr.line == 3 and "columns" in pr.reason for pr in p.problems)
    assert any("broken CSV" in pr.reason for pr in p.problems)


def test_broken_csv_line_does_not_swallow_the_rest() -> None:
    p = parse('url,title\nhttps://a.no/1,ok\n"https://b.no/2,unclosed\nhttps://c.no/3,x\n'
              "https://d.no/4,y\n")
    assert [i.line for i in p.items] == [2, 4, 5]
    assert [pr.line for pr in p.problems] == [3]


def test_unknown_csv_column_is_reported() -> None:
    p = parse("url,tittel\nhttps://a.no/1,x\n")
    assert p.items and any("unknown column" in pr.reason for pr in p.problems)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "contains no URLs"),
        (b"\n\n# only comments\n", "contains no URLs"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("https://a.no/ø\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unusable_files(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_list_bytes(data, "list.txt")
    assert fragment in str(info.value)


def test_missing_folder_and_huge_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_list_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_list_file(tmp_path)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(25 * 1024 * 1024)
    with pytest.raises(InputError, match="limit"):
        read_list_file(huge)


def test_a_bad_line_is_quoted_once() -> None:
    """A reason that quotes the line already is not followed by the line again; one that
    does not quote it is."""
    from somecapture.batchinput import ListProblem
    from somecapture.messages import Msg, render

    quoting = ListProblem(3, "ikke en adresse", Msg("url.not_web", url="ikke en adresse"))
    for lang in ("nb", "nn", "en"):
        text = render(quoting.message(), lang)
        assert text.count("ikke en adresse") == 1, text
    plain = ListProblem(4, "https://x.example/a b", "too long")
    assert str(plain.message()).endswith("(“https://x.example/a b”)")
