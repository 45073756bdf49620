"""More seed posts, composed from hand-written parts.

Hand-written posts teach the shapes; composing their parts teaches that the shape matters and
the particular product, feature or complaint does not. The parts are realistic phrases written
for Silta and kept in `phrases/*.toml`, one file per category, so that they can be read and
edited without reading code; this module only decides how they combine. `compose` draws with a
fixed random seed, so the corpus (and the seed model's version) only changes when a phrase file
or this module does.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from bot.errors import ClassifierError

COUNT = 300
COUNTS = {"support_issue": 700, "product_feedback": 700}
"""Composed posts per category: more where the written ones vary least."""

COMPANY = frozenset({"brand", "handle", "product", "rival", "lib"})
"""Placeholders left in a composed post for the seed corpus to fill with names."""

SUPPLIED: dict[str, dict[str, frozenset[str]]] = {
    "support_issue": {
        "problem.forms": frozenset({"action", "feature", "symptom"}),
        "photo.forms": frozenset({"thing", "link"}),
        "complaint.forms": frozenset({"opener", "complaint", "closer", "friend"}),
        "app.forms": frozenset({"subject", "symptom", "when", "tail"}),
        "tech.forms": frozenset({"problem"}),
    },
    "product_feedback": {
        "imperative.forms": frozenset({"verb", "feature", "place", "tail"}),
        "limit.forms": frozenset({"verb", "limit", "place", "tail"}),
        "should.forms": frozenset({"subject", "feature", "wish", "tail"}),
        "missing.forms": frozenset({"feature"}),
        "request.forms": frozenset({"feature"}),
        "ability.forms": frozenset({"wish"}),
        "opinion.forms": frozenset({"opinion"}),
    },
    "sales_lead": {
        "ask.forms": frozenset({"thing", "short", "purpose"}),
        "switch.forms": frozenset({"bare_thing", "purpose"}),
    },
    "hiring_signal": {
        "job_post.forms": frozenset({"role", "place", "term", "pay", "blurb"}),
        "profile.forms": frozenset({"place", "remote", "relocate", "technologies", "seeker"}),
        "profile.seeker": frozenset({"number"}),
        "career.forms": frozenset({"role", "number", "pay"}),
    },
    "noise": {
        "chatter.forms": frozenset({"chatter", "friend", "friend2", "tag", "code"}),
        "news.forms": frozenset({"number", "city"}),
        "promo.forms": frozenset({"thing", "topic", "number"}),
    },
    "friends": {},
}
"""Every phrase file, with the placeholders this module fills in, by `table.list`. They are
checked when a file is read, so a misspelt placeholder is reported there rather than deep in
generation. Other lists may hold only company placeholders; each name here may also be
written capitalised."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Phrases:
    """One phrase file: lists at its top, shared by its tables, and a table per kind of post."""

    name: str
    data: Mapping[str, Any]

    def draw(self, rng: random.Random, key: str, table: str | None = None) -> str:
        """One line of `table`'s own list `key` or, when it has none, of the file's."""
        line = self._pick(rng, key, table)
        if not isinstance(line, str):
            raise self._error(f"{self._where(table, key)} should hold lines of text")
        return line

    def draw_pair(self, rng: random.Random, key: str, table: str | None = None) -> tuple[str, str]:
        pair = self._pick(rng, key, table)
        if not (isinstance(pair, list) and len(pair) == 2):
            raise self._error(f"{self._where(table, key)} should hold pairs of lines")
        return pair[0], pair[1]

    def fill_in(self, table: str, form: str, **values: str) -> str:
        """`form` with its placeholders replaced from `values` in one pass, so a value that
        itself names a company placeholder keeps it for the seed corpus to fill."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in COMPANY:
                return match.group(0)
            if name in values:
                return values[name]
            lower = name[0].lower() + name[1:]
            if name != lower and lower in values:
                return values[lower][0].upper() + values[lower][1:]
            raise self._error(f"[{table}] {form!r}: nothing fills {{{name}}}")

        return _PLACEHOLDER.sub(value, form)

    def _pick(self, rng: random.Random, key: str, table: str | None) -> Any:
        """A list of one is no choice: drawing for it anyway would shift every later draw."""
        listed = self._list(key, table)
        return listed[0] if len(listed) == 1 else rng.choice(listed)

    def _list(self, key: str, table: str | None) -> list[Any]:
        own = self.data.get(table, {}) if table else {}
        listed = own.get(key, self.data.get(key))
        if not isinstance(listed, list) or not listed:
            raise self._error(f"{self._where(table, key)} is missing or empty")
        return listed

    def _where(self, table: str | None, key: str) -> str:
        return f"[{table}] {key}" if table else key

    def _error(self, problem: str) -> ClassifierError:
        return ClassifierError(f"{self.name}.toml: {problem}")


def read(name: str, text: str) -> Phrases:
    """A phrase file's contents, after checking that every placeholder in it is one this module
    fills (or a company one): the error names the file, the list and the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ClassifierError(f"{name}.toml: {exc}") from exc
    supplied = SUPPLIED[name]
    problems = [
        f"[{where}] {line!r}: unknown placeholder {{{found}}}"
        f" (this list may use {_listing(supplied.get(where, frozenset()))})"
        for where, listed in _lists(data)
        for line in _texts(listed)
        for found in _PLACEHOLDER.findall(line)
        if not _known(found, supplied.get(where, frozenset()))
    ]
    problems += [f"[{where}] is missing" for where in supplied if _absent(data, where)]
    if problems:
        raise ClassifierError(f"{name}.toml: " + "; ".join(problems))
    return Phrases(name, data)


@cache
def phrases(name: str) -> Phrases:
    """The phrase file `phrases/<name>.toml` shipped beside this module."""
    path = files(__package__).joinpath("phrases", f"{name}.toml")
    return read(name, path.read_text(encoding="utf-8"))


def _lists(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Each list in a phrase file with where it is: `table.list`, or its name at the top."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield from ((f"{key}.{inner}", listed) for inner, listed in value.items())
        else:
            yield key, value


def _texts(value: Any) -> Iterator[str]:
    """Every line of text in a list, including both lines of each pair."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _known(name: str, supplied: frozenset[str]) -> bool:
    return name in COMPANY or (name[0].lower() + name[1:]) in supplied


def _absent(data: Mapping[str, Any], where: str) -> bool:
    table, key = where.split(".")
    return not isinstance(data.get(table), dict) or key not in data[table]


def _listing(names: frozenset[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names | COMPANY))


def compose(rng: random.Random, fill: Callable[[str], str]) -> dict[str, list[str]]:
    """Posts per category. `fill` supplies names for `{brand}`-style placeholders."""
    makers: dict[str, Callable[[random.Random], str]] = {
        "support_issue": _support,
        "product_feedback": _feedback,
        "sales_lead": _sales,
        "hiring_signal": _hiring,
        "noise": _noise,
    }
    return {
        category: [fill(make(rng)) for _ in range(COUNTS.get(category, COUNT))]
        for category, make in makers.items()
    }


def _drawn(rng: random.Random, phrases: Phrases, table: str, *order: str) -> str:
    """A post of one kind whose parts are all plain lists, drawn in `order` (the form among
    them): the order is part of the corpus, since every draw moves the random stream on."""
    drawn = {key: phrases.draw(rng, key, table) for key in order}
    return phrases.fill_in(table, drawn.pop("forms"), **drawn)


def _support(rng: random.Random) -> str:
    """Broken features and orders, photos of what arrived, complaints at a brand, app reviews
    and developers' bug reports."""
    p = phrases("support_issue")
    kind = rng.random()
    if kind < 0.3:
        return _drawn(rng, p, "problem", "action", "feature", "forms", "symptom")
    if kind < 0.4:
        form = p.draw(rng, "forms", "photo")
        return p.fill_in("photo", form, thing=p.draw(rng, "thing", "photo"), link=_link(rng))
    kind = rng.random()
    if kind < 0.5:
        return _complaint(rng, p)
    if kind < 0.8:
        return _drawn(rng, p, "app", "forms", "subject", "symptom", "when", "tail")
    return _drawn(rng, p, "tech", "forms", "problem")


def _complaint(rng: random.Random, p: Phrases) -> str:
    form = p.draw(rng, "forms", "complaint")
    return p.fill_in(
        "complaint",
        form,
        opener=p.draw(rng, "opener", "complaint"),
        complaint=p.draw(rng, "complaint", "complaint"),
        closer=p.draw(rng, "closer", "complaint"),
        friend=phrases("friends").draw(rng, "friend"),
    )


def _link(rng: random.Random) -> str:
    code = "".join(rng.choice("abcdefghjkmnpqrstuvwxyzABCDEFGH0123456789") for _ in range(10))
    return rng.choice(("https://t.co/", "pic.twitter.com/")) + code


def _feedback(rng: random.Random) -> str:
    """Requests in every grammatical shape people use (so no one verb makes a request), and
    opinions of the product as it is."""
    p = phrases("product_feedback")
    kind = rng.random()
    if kind < 0.2:
        return _drawn(rng, p, "imperative", "forms", "verb", "feature", "place", "tail")
    if kind < 0.27:
        return _drawn(rng, p, "limit", "forms", "verb", "limit", "place", "tail")
    if kind < 0.4:
        return _drawn(rng, p, "should", "forms", "feature", "wish", "subject", "tail")
    if kind < 0.5:
        return _drawn(rng, p, "missing", "feature", "forms")
    kind = rng.random()
    if kind < 0.4:
        return _drawn(rng, p, "request", "forms", "feature")
    if kind < 0.75:
        return _drawn(rng, p, "ability", "forms", "wish")
    opinion = p.draw(rng, "praise" if rng.random() < 0.55 else "critique", "opinion")
    return p.fill_in("opinion", p.draw(rng, "forms", "opinion"), opinion=opinion)


def _sales(rng: random.Random) -> str:
    """Asking what to buy, and comparing or leaving a competitor."""
    p = phrases("sales_lead")
    thing, short = p.draw_pair(rng, "thing")
    purpose = p.draw(rng, "purpose")
    if rng.random() < 0.6:
        form = p.draw(rng, "forms", "ask")
        return p.fill_in("ask", form, thing=thing, short=short, purpose=purpose)
    bare_thing = thing.split(" ", 1)[1]
    return p.fill_in(
        "switch", p.draw(rng, "forms", "switch"), bare_thing=bare_thing, purpose=purpose
    )


def _hiring(rng: random.Random) -> str:
    """Job posts, people looking for work, and questions about careers and pay."""
    p = phrases("hiring_signal")
    kind = rng.random()
    number = str(rng.randint(2, 15))
    if kind < 0.4:
        return _drawn(rng, p, "job_post", "forms", "role", "place", "term", "pay", "blurb")
    if kind < 0.6:
        form = p.draw(rng, "forms", "profile")
        return p.fill_in(
            "profile",
            form,
            place=p.draw(rng, "place", "profile"),
            remote=p.draw(rng, "remote", "profile"),
            relocate=p.draw(rng, "relocate", "profile"),
            technologies=p.draw(rng, "technologies", "profile"),
            seeker=p.fill_in("profile", p.draw(rng, "seeker", "profile"), number=number),
        )
    form = p.draw(rng, "forms", "career")
    role, pay = p.draw(rng, "role", "career"), p.draw(rng, "pay", "career")
    return p.fill_in("career", form, role=role, number=number, pay=pay)


def _noise(rng: random.Random) -> str:
    """Chit-chat between people, company news, and launches and write-ups."""
    p = phrases("noise")
    kind = rng.random()
    if kind < 0.5:
        friends = phrases("friends")
        return p.fill_in(
            "chatter",
            p.draw(rng, "forms", "chatter"),
            chatter=p.draw(rng, "chatter", "chatter"),
            friend=friends.draw(rng, "friend"),
            friend2=friends.draw(rng, "friend"),
            tag=p.draw(rng, "tag", "chatter"),
            code="".join(rng.choice("abcdefghjkmnpqrstuvwxyz0123456789") for _ in range(8)),
        )
    if kind < 0.7:
        form = p.draw(rng, "forms", "news")
        number = str(rng.randint(3, 120))
        return p.fill_in("news", form, number=number, city=p.draw(rng, "city", "news"))
    form = p.draw(rng, "forms", "promo")
    thing, topic = p.draw(rng, "thing", "promo"), p.draw(rng, "topic", "promo")
    return p.fill_in("promo", form, thing=thing, topic=topic, number=str(rng.randint(1, 9)))
