"""Readers: formats, directory recursion, globs, JSONL, and bad documents with their reasons."""

from __future__ import annotations

import os

import pytest

from kg.extract.readers import (
    Skipped,
    SourceDoc,
    html_text,
    markdown_text,
    read_documents,
)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Plain text.")
    (tmp_path / "b.md").write_text("# Title\n\nSee [the docs](http://x) and **bold**.\n```\ncode()\n```\n")
    (tmp_path / "c.html").write_text("<html><head><title>T</title><style>p{}</style></head>"
                                     "<body><p>Hello &amp; bye.</p><script>var x;</script></body></html>")
    (tmp_path / "sub" / "d.jsonl").write_text(
        '{"id": "r1", "text": "First."}\n{oops\n{"text": "Second."}\n{"id": 3}\n\n')
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02abc")
    (tmp_path / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "big.txt").write_text("x" * 2000)
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("not read")
    return tmp_path


def test_folder_with_good_and_bad_files(folder):
    items = list(read_documents([str(folder)], max_bytes=1000))
    docs = {os.path.relpath(d.doc_id, folder.as_posix()): d.text for d in items if isinstance(d, SourceDoc)}
    skipped = {os.path.relpath(s.source, folder): s.reason for s in items if isinstance(s, Skipped)}
    assert docs["a.txt"] == "Plain text."
    assert "See the docs and bold." in docs["b.md"] and "code()" not in docs["b.md"]
    assert docs["c.html"] == "Hello & bye."
    assert docs["sub/d.jsonl#r1"] == "First." and docs["sub/d.jsonl#L3"] == "Second."
    assert skipped["bin.txt"].startswith("binary")
    assert skipped["latin.txt"].startswith("not UTF-8")
    assert skipped["empty.txt"] == "empty document"
    assert skipped["big.txt"].startswith("too large")
    assert skipped["image.png"].startswith("unsupported file type .png")
    assert skipped["sub/d.jsonl:2"].startswith("invalid JSON")
    assert skipped["sub/d.jsonl:4"] == "no string 'text' field"
    assert not any("hidden" in k for k in docs)


def test_globs_and_missing_paths(folder):
    items = list(read_documents([str(folder / "*.txt"), str(folder / "nope.txt"), str(folder / "*.xyz")]))
    assert {os.path.basename(d.doc_id) for d in items if isinstance(d, SourceDoc)} == {"a.txt", "big.txt"}
    reasons = {os.path.basename(s.source): s.reason for s in items if isinstance(s, Skipped)}
    assert reasons["nope.txt"] == "no such file or directory"
    assert reasons["*.xyz"] == "no file matches this pattern"


def test_converters():
    assert html_text("<p>a</p><p>b</p>") == "a\nb"
    assert markdown_text("- item *one*") == "item one"


def test_read_error_is_reported_not_raised(tmp_path, monkeypatch):
    """Whoever runs the tests (root reads everything), an I/O error becomes a skip reason."""
    import kg.extract.readers as readers

    p = tmp_path / "flaky.txt"
    p.write_text("text")

    real_open = os.open

    def failing_open(path, *args, **kwargs):
        if str(path) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(readers.os, "open", failing_open)
    (item,) = read_documents([str(p), ])
    assert isinstance(item, Skipped) and item.reason == "unreadable: Permission denied"


def test_fifo_and_devices_are_reported_without_opening_them_for_a_blocking_read(tmp_path):
    # A FIFO with no writer would block an ordinary open() for ever.
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zero.txt")  # endless, if it were read
    items = list(read_documents([str(tmp_path / "pipe.txt"), str(tmp_path / "zero.txt"), str(tmp_path)]))
    reasons = {s.source: s.reason for s in items if isinstance(s, Skipped)}
    assert reasons[str(tmp_path / "pipe.txt")] == "not a regular file (a FIFO)"
    assert reasons[str(tmp_path / "zero.txt")] == "not a regular file (a character device)"
    assert reasons[os.path.join(str(tmp_path), "pipe.txt")] == "not a regular file (a FIFO)"
    assert not [d for d in items if isinstance(d, SourceDoc)]


def test_duplicate_jsonl_ids_are_two_documents(tmp_path):
    (tmp_path / "c.jsonl").write_text('{"id": "x", "text": "Marie Curie was born in Warsaw."}\n'
                                      '{"id": "x", "text": "Pierre Curie was born in Paris."}\n'
                                      '{"text": "No id here."}\n{"id": "L3", "text": "Id like a line."}\n')
    docs = [d for d in read_documents([str(tmp_path / "c.jsonl")]) if isinstance(d, SourceDoc)]
    ids = [d.doc_id.rsplit("#", 1)[1] for d in docs]
    assert ids == ["x", "x@L2", "L3", "L3@L4"]
    assert len({d.doc_id for d in docs}) == 4 and "Marie" in docs[0].text and "Pierre" in docs[1].text


def test_huge_line_and_a_file_over_the_limit(tmp_path):
    (tmp_path / "line.txt").write_text("word " * 200_000)  # one 1 MB line
    (tmp_path / "big.jsonl").write_text('{"text": "' + "y" * 5000 + '"}\n')
    items = list(read_documents([str(tmp_path / "line.txt"), str(tmp_path / "big.jsonl")], max_bytes=4000))
    assert [type(i).__name__ for i in items] == ["Skipped", "Skipped"]
    assert items[0].reason.startswith("too large") and items[1].reason.startswith("too large")
    [doc] = read_documents([str(tmp_path / "line.txt")])
    assert len(doc.text) == 1_000_000
