"""Reading documents from files, directories (recursive), globs and JSONL.

Each input yields :class:`SourceDoc` (text to extract) or :class:`Skipped` (a bad document and
why: binary, undecodable, empty, too large, unreadable, unsupported, bad JSONL line). A bad
document never stops a job.
"""

from __future__ import annotations

import glob
import json
import os
import re
import stat
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SNIFF_BYTES = 8192


@dataclass
class SourceDoc:
    doc_id: str
    text: str
    source: str


@dataclass
class Skipped:
    source: str
    reason: str

    def as_dict(self) -> dict:
        return {"source": self.source, "reason": self.reason}


# -- text formats --------------------------------------------------------------------------------
class _TextOfHtml(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "head"}
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "title", "blockquote", "pre", "td", "th", "ul", "ol", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


_MD_FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.M | re.S)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|\*|`)")
_MD_HEAD = re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M)


def markdown_text(md: str) -> str:
    """Markdown as plain prose: code blocks dropped, links and emphasis reduced to their text."""
    text = _MD_FENCE.sub("", md)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEAD.sub("", text)
    return _MD_MARKS.sub("", text)


READERS = {".txt": lambda t: t, ".text": lambda t: t, ".md": markdown_text, ".markdown": markdown_text,
           ".html": html_text, ".htm": html_text}
SUFFIXES = tuple(READERS) + (".jsonl",)


# -- files ---------------------------------------------------------------------------------------
def expand(paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """``(path, None)`` for each file to read, ``(path, reason)`` for inputs that cannot be.

    Directories are walked recursively (sorted, supported suffixes only, hidden entries skipped);
    a path that does not exist is tried as a glob.
    """
    for raw in paths:
        path = str(raw)
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    full = os.path.join(root, name)
                    if name.lower().endswith(SUFFIXES):
                        yield full, None
                    else:
                        yield full, f"unsupported file type {Path(name).suffix or '(none)'}"
        elif os.path.exists(path):
            yield path, None
        elif glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield path, "no file matches this pattern"
            for m in matches:
                yield from expand([m])
        else:
            yield path, "no such file or directory"


def read_documents(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceDoc | Skipped]:
    """Documents from ``paths`` in a stable order; bad ones come out as :class:`Skipped`."""
    for path, problem in expand(paths):
        if problem:
            yield Skipped(path, problem)
            continue
        yield from read_file(path, max_bytes)


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def _special(mode: int) -> str | None:
    """Why a file of this mode is not a document (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"not a regular file ({kind})"


def _read_bytes(path: str, max_bytes: int) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why not. Opened non-blocking and checked on the open descriptor, so a
    FIFO (or a device) named like a document is reported instead of hanging the job."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        return None, f"unreadable: {exc.strerror or exc}"
    try:
        st = os.fstat(fd)
        special = _special(st.st_mode)
        if special:
            return None, special
        if st.st_size > max_bytes:
            return None, f"too large ({st.st_size} bytes > limit {max_bytes})"
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)  # a file that grew since fstat stays bounded
    except OSError as exc:
        return None, f"unreadable: {exc.strerror or exc}"
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return None, f"too large (> limit {max_bytes} bytes)"
    return data, None


def _decode(path: str, max_bytes: int) -> tuple[str | None, str | None]:
    data, problem = _read_bytes(path, max_bytes)
    if problem:
        return None, problem
    if b"\x00" in data[:_SNIFF_BYTES]:
        return None, "binary file (NUL bytes)"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start})"


def doc_id_for(path: str) -> str:
    """A document's identity: its resolved absolute path, so the same file reached through
    another relative path, working directory or symlink is the same document."""
    return Path(path).resolve().as_posix()


def read_file(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceDoc | Skipped]:
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        yield Skipped(path, f"unsupported file type {suffix or '(none)'}")
        return
    text, problem = _decode(path, max_bytes)
    if problem:
        yield Skipped(path, problem)
        return
    if suffix == ".jsonl":
        yield from _jsonl(path, text, max_bytes)
        return
    text = READERS[suffix](text)
    if not text.strip():
        yield Skipped(path, "empty document")
        return
    yield SourceDoc(doc_id_for(path), text, path)


def _jsonl(path: str, text: str, max_bytes: int) -> Iterator[SourceDoc | Skipped]:
    base = doc_id_for(path)
    first_line: dict[str, int] = {}  # document id -> the line that used it first
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"invalid JSON: {exc.msg}")
            continue
        body = record.get("text") if isinstance(record, dict) else None
        if not isinstance(body, str):
            yield Skipped(where, "no string 'text' field")
            continue
        if not body.strip():
            yield Skipped(where, "empty document")
            continue
        if len(body.encode("utf-8")) > max_bytes:
            yield Skipped(where, f"too large (> limit {max_bytes} bytes)")
            continue
        rid = record.get("id")
        key = str(rid) if rid not in (None, "") else f"L{lineno}"
        if key in first_line:
            # Two records with one id are two documents: the later one is kept apart (its id
            # gets its line number) instead of silently replacing the earlier one's graph.
            key = f"{key}@L{lineno}"
        first_line.setdefault(key, lineno)
        yield SourceDoc(f"{base}#{key}", body, where)
