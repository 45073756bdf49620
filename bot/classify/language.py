"""Which language a post is in, so English-only judgements are never applied to others.

py3langid ships its model, so nothing is downloaded at run time. Short posts fool every
identifier ("lol same" reads as Tagalog), so a post with little to read gets no language rather
than a wrong one, and a post made of common English words is taken as English without asking
the model, which also keeps the common case fast.

py3langid's model is 4 MB of LZMA that unpacks to 65 MB: unpacking it takes most of a second
and briefly needs twice that memory, in every process that starts. So the first process on a
host unpacks it once into plain arrays in a cache folder (`$XDG_CACHE_HOME/silta`, else
`~/.cache/silta`), and every process maps those files instead: ready in milliseconds, and the
pages are shared by every worker on the host. The folder is named by the model's content, so a
reinstall of the same py3langid finds it, and unpacking another model removes the folders of
older ones (a process still mapping one keeps its pages until it exits). Where no cache folder
can be written, the model is unpacked in memory as py3langid does it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from bot.classify import languages
from bot.classify.text import without_urls

MIN_LETTERS = 10
MIN_CONFIDENCE = 0.5
MIN_CONFIDENCE_READ = 0.15
"""A language Silta reads is taken on less evidence: a short post ("18F lanza cloud.gov") rarely
reaches `MIN_CONFIDENCE`, and reading it in its language costs nothing when the guess is wrong
(its words are still read as written), while taking it as a language not read sends it to
triage."""
SAMPLE_CHARS = 200
_ENGLISH = frozenset(
    """the and or but with from are were be been you she it we they my your our their this that
    these not does did don't doesn't didn't have has had can can't will won't would should could
    please what why how when where there it's i'm just if us""".split()
)
"""Common English words that are not also common words of a language Silta reads."""
_SHARED = frozenset("a an to of in on at for is was am i he do no me so".split())
"""Common English words that are also common in a language read: "a", "no" and "me" are
Spanish too, "i" and "at" Swedish and Danish, "on" Finnish, "is" and "of" Dutch. They count
towards a post looking English only beside a word of `_ENGLISH`."""
_TELLING = {
    "fi": """että mutta kun jos tai ole oli mä mun onko kuin myös vaan niin vielä tämä tää olen oon
    ovat joka mitä miten kanssa sitä siitä tätä joku kaikki pitää eikä ihan kyllä ja jotain
    jossa joten koska sitten vain ehkä pitäisi voisi olisi olla ollut meillä meidän hyvä kiitos
    moi vähän paljon mitään jotka siis tässä niitä minä mulla mulle""",
    "sv": """och att är inte jag ett från när hur också bara mycket någon här vad finns själv varför
    kanske sedan eftersom väldigt redan fungerar där då hej tack något några måste därför
    behöver använder använda sätt""",
    "de": """und ist nicht ich der mit auf für ein eine zu auch aber noch nur oder wenn kann sind
    habe wir sich mein schon bei nach gibt dass sehr keine kein jetzt wird werden""",
    "es": """el los las y pero muy hay también cuando donde tengo puedo alguien ahora así eso estoy
    tiene quiero mucho nadie qué cómo más hola gracias hacer puede usar nuevo bien entonces
    aunque además estamos están tienen usando necesito busco ese esa aquí después gente cosas
    cualquier hemos""",
}
"""Common words of one language read and of no other language read, nor of a near neighbour
not read (Estonian, Italian, Catalan): a post full of them is that language without asking the
identifier, whose pure-Python scoring is a fifth of classifying a post."""
_TELLS = {word: code for code, listed in _TELLING.items() for word in listed.split()}
_NAMES = re.compile(r"[@#]\w+")
_ANY_WORD = re.compile(r"[^\W\d_]+")
_WORD = re.compile(r"[a-z']+")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")

log = logging.getLogger(__name__)


def detect(text: str) -> str | None:
    """An ISO 639-1 code, or None when the post is too short or too mixed to tell."""
    plain = _NAMES.sub(" ", without_urls(text[: SAMPLE_CHARS * 4]))[:SAMPLE_CHARS]
    letters = _NOT_LETTER.sub("", plain)
    if len(letters) < MIN_LETTERS:
        return None
    if letters.isascii() and _looks_english(plain):  # emoji and dashes are no reason to ask
        return "en"
    told = _told(plain)
    if told:
        return told
    language, confidence = _identifier().classify(plain)
    if confidence >= MIN_CONFIDENCE or (
        confidence >= MIN_CONFIDENCE_READ and languages.reads(languages.code(language))
    ):
        return str(language)
    return None


def _looks_english(text: str) -> bool:
    words = _WORD.findall(text.lower())
    english = sum(word in _ENGLISH for word in words)
    common = english + sum(word in _SHARED for word in words)
    return english >= 1 and common >= 2 and common >= 0.2 * len(words)


def _told(text: str) -> str | None:
    """The language read whose telling words make a tenth of the text, three at least, and
    outnumber any other's four to one; else None."""
    words = _ANY_WORD.findall(text.lower())
    counts: dict[str, int] = {}
    for word in words:
        code = _TELLS.get(word)
        if code:
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.__getitem__)
    most = counts[best]
    others = sum(counts.values()) - most
    return best if most >= 3 and most >= 0.1 * len(words) and others * 4 <= most else None


def warm_up() -> None:
    """Load the identifier now rather than on the first post that needs it."""
    _identifier()


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier  # start-up time

    packed = MODEL_DIR / MODEL_FILE
    try:
        arrays = _mapped(packed)
    except OSError as exc:
        log.info("language model not cached (%s); unpacking it in memory", exc)
        return LanguageIdentifier.from_model_file(packed, norm_probs=True)
    return LanguageIdentifier(
        arrays["ptc"],
        arrays["pc"],
        arrays["classes"].tolist(),
        memoryview(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=True,
        tk_row=arrays["nextmove_row"].tolist(),
    )


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "silta"


def _mapped(packed: Path) -> dict[str, Any]:
    """py3langid's arrays, memory-mapped from the cache; unpacked into it the first time."""
    import numpy as np  # start-up time: only the identifier needs it here

    with packed.open("rb") as source:
        key = hashlib.file_digest(source, "sha256").hexdigest()
    folder = cache_folder() / f"langid-{key[:12]}"
    if not (folder / "done").exists():
        _unpack(packed, folder)
        for older in folder.parent.glob("langid-*"):
            if older != folder:
                shutil.rmtree(older, ignore_errors=True)
    return {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}


def _unpack(packed: Path, folder: Path) -> None:
    """Write the arrays to a fresh folder and rename it into place, so that processes starting
    together never read a half-written cache."""
    import lzma  # start-up time: only the first process unpacks

    import numpy as np

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".langid-", dir=folder.parent))
    with tempfile.TemporaryFile() as plain:
        with lzma.open(packed) as source:
            while chunk := source.read(1 << 20):
                plain.write(chunk)
        plain.seek(0)
        with np.load(plain, allow_pickle=False) as data:
            for name in _ARRAYS:
                np.save(work / f"{name}.npy", np.ascontiguousarray(data[name]))
    (work / "done").touch()
    try:
        work.rename(folder)
    except OSError:  # another process got there first: its copy is as good as ours
        for leftover in work.iterdir():
            leftover.unlink()
        work.rmdir()
