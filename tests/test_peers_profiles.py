"""The "camel" and "lucene" profiles against the peers they promise to reproduce exactly.

- "camel": CAMeL Tools' ``dediac_ar`` then ``normalize_alef_ar``,
  ``normalize_alef_maksura_ar`` and ``normalize_teh_marbuta_ar``, run from the installed
  camel-tools (``pip install --no-deps camel-tools emoji six``: ``camel_tools.utils`` needs
  only those two besides the standard library; the full install pulls in torch).
- "lucene": ``org.apache.lucene.analysis.ar.ArabicNormalizer`` run in a JVM, from Debian's
  ``liblucene8-java`` (``apt-get install -y liblucene8-java``; Java 17 is on the machine).
  Those tests are marked ``lucene``; the corpus test also ``shared`` (see conftest.py).

Both peers work one character at a time, so every BMP character is compared on its own;
then the real corpus and hypothesis strings check that misfat adds no context effects.
"""

from __future__ import annotations

import gzip
import json
import struct
import subprocess
from collections.abc import Callable, Iterator
from functools import lru_cache

import pytest
from conftest import CORPUS, lucene_jar, missing
from hypothesis import given, settings
from hypothesis import strategies as st

import misfat

PEERS = ["camel", pytest.param("lucene", marks=pytest.mark.lucene)]


@lru_cache(maxsize=1)
def corpus_texts() -> list[str]:
    """Every title and article text of the corpus."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [r[k] for k in ("title", "text") for r in rows if isinstance(r.get(k), str)]


# -- the peers -----------------------------------------------------------------------------
def camel_chain() -> Callable[[str], str]:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
    )

    def run(text: str) -> str:
        text = dediac_ar(text)
        text = normalize_alef_ar(text)
        text = normalize_alef_maksura_ar(text)
        return normalize_teh_marbuta_ar(text)

    return run


JAVA_SOURCE = r"""
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.ar.ArabicNormalizer;

/** Frames of (4-byte big-endian length, UTF-8) in; the same, normalized, out; until EOF. */
public class LuceneNormalize {
  public static void main(String[] args) throws Exception {
    DataInputStream in = new DataInputStream(System.in);
    DataOutputStream out = new DataOutputStream(System.out);
    ArabicNormalizer normalizer = new ArabicNormalizer();
    while (true) {
      int n;
      try {
        n = in.readInt();
      } catch (EOFException eof) {
        break;
      }
      char[] chars = new String(in.readNBytes(n), StandardCharsets.UTF_8).toCharArray();
      int len = normalizer.normalize(chars, chars.length);
      byte[] result = new String(chars, 0, len).getBytes(StandardCharsets.UTF_8);
      out.writeInt(result.length);
      out.write(result);
      out.flush();
    }
  }
}
"""


@pytest.fixture(scope="session")
def lucene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """Lucene's ArabicNormalizer in one long-lived JVM."""
    jar = lucene_jar()
    if jar is None or (why := missing("lucene")):
        pytest.fail(f"the Lucene comparison {why}", pytrace=False)
    build = tmp_path_factory.mktemp("lucene")
    (build / "LuceneNormalize.java").write_text(JAVA_SOURCE)
    subprocess.run(
        ["javac", "-cp", jar, "-d", str(build), str(build / "LuceneNormalize.java")], check=True
    )
    proc = subprocess.Popen(
        ["java", "-cp", f"{jar}:{build}", "LuceneNormalize"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout

    def run(text: str) -> str:
        data = text.encode("utf-8")
        stdin.write(struct.pack(">i", len(data)) + data)
        stdin.flush()
        (n,) = struct.unpack(">i", stdout.read(4))
        return stdout.read(n).decode("utf-8")

    yield run
    stdin.close()
    stdout.close()
    proc.wait(timeout=30)


@pytest.fixture(params=PEERS)
def peer(request: pytest.FixtureRequest) -> tuple[str, Callable[[str], str]]:
    name = request.param
    return name, (camel_chain() if name == "camel" else request.getfixturevalue("lucene"))


# -- 1. every BMP character ------------------------------------------------------------
# (NUL, the separator below, maps to itself in both peers and in misfat.)
BMP = [chr(c) for c in range(1, 0x10000) if not 0xD800 <= c <= 0xDFFF]


def test_every_bmp_character(peer: tuple[str, Callable[[str], str]]) -> None:
    name, run = peer
    ours = misfat.normalize(BMP, profile=name)
    # Both peers map characters independently, so one call on the joined text suffices.
    theirs = run("\x00".join(BMP)).split("\x00")
    assert len(theirs) == len(BMP)
    wrong = {c: (o, t) for c, o, t in zip(BMP, ours, theirs, strict=True) if o != t}
    assert {f"U+{ord(c):04X}": v for c, v in wrong.items()} == {}


# -- 2. the real corpus -----------------------------------------------------------------
def mismatch_report(texts: list[str], ours: list[str], theirs: list[str]) -> str:
    bad = [k for k, (o, t) in enumerate(zip(ours, theirs, strict=True)) if o != t]
    if not bad:
        return ""
    k = bad[0]
    pairs = enumerate(zip(ours[k] + "\0", theirs[k] + "\0", strict=False))
    i = next(j for j, (a, b) in pairs if a != b)
    lo, hi = max(0, i - 15), i + 15
    return (
        f"{len(bad)} of {len(texts)} texts differ; e.g. #{k} at char {i}: "
        f"misfat {ours[k][lo:hi]!r} peer {theirs[k][lo:hi]!r}"
    )


@pytest.mark.shared
@pytest.mark.parametrize("name", PEERS)
def test_corpus_as_is(name: str, request: pytest.FixtureRequest) -> None:
    run = camel_chain() if name == "camel" else request.getfixturevalue("lucene")
    texts = corpus_texts()
    assert not mismatch_report(
        texts, misfat.normalize(texts, profile=name), [run(t) for t in texts]
    )


# -- 3. hypothesis ------------------------------------------------------------------------
ALPHABET = (
    list("ابتثجحخدذرسشصعغفقكلمنهويءأإآٱٲٳىةؤئکیےۀۓ")
    + [chr(c) for c in range(0x064B, 0x0660)]  # tanwin, harakat, shadda, sukun, U+0653-065F
    + ["\u0670", "\u0640", "\u0610", "\u06d6", "\u08f0"]  # dagger alef, tatweel, Quranic
    + list("٠٩۴0 \n\r\t\u00a0\u200b\u200c\u200d\u200f،؟«»aZ😀")
    + ["\ufef7", "\ufe8d", "\ufe70", "\ufe94", "\ufef0"]  # presentation forms
)


def strings(name: str) -> st.SearchStrategy[list[str]]:
    alphabet = list(ALPHABET)
    return st.lists(st.text(st.sampled_from(alphabet), max_size=40), min_size=1, max_size=10)


@settings(max_examples=400, deadline=None)
@given(strings("camel"))
def test_camel_hypothesis(texts: list[str]) -> None:
    run = camel_chain()
    assert misfat.normalize(texts, profile="camel") == [run(t) for t in texts]


@pytest.mark.lucene
@settings(max_examples=400, deadline=None)
@given(texts=strings("lucene"))
def test_lucene_hypothesis(lucene: Callable[[str], str], texts: list[str]) -> None:
    assert misfat.normalize(texts, profile="lucene") == [lucene(t) for t in texts]


def test_alphabets_cover_what_the_peers_touch() -> None:
    """Guards the strategies: every character either peer changes is drawn."""
    touched = set("أإآٱىة\u0640\u0670") | {chr(c) for c in range(0x064B, 0x0653)}
    assert touched <= set(ALPHABET)
