"""The one list of source kinds: each kind is whole (a config, and a connector with a demo feed
unless it is pushed to), the union of configs validates each entry as its kind's, and the
routes of the kinds' demo feeds never overlap."""

from __future__ import annotations

import typing
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from bot.ingest.http import Fetcher
from bot.sources import KINDS, connect, kind_named, polled, source_config
from bot.sources.base import COMMON_KEYS, SourceKind

SOURCES = Path(__file__).resolve().parents[3] / "bot" / "sources"
HIDDEN = "hunter2-do-not-print"


def every_key(kind: SourceKind, credential: str = HIDDEN) -> dict[str, typing.Any]:
    """A config of `kind` with every key set: literals to their first value, URLs to a URL,
    credentials to `credential`, the rest to a word."""
    keys: dict[str, typing.Any] = {"name": "s", "kind": kind.name}
    for key in kind.keys:
        field = kind.config.model_fields[key]
        choices = [a for a in typing.get_args(field.annotation) if a is not type(None)]
        literal = typing.get_args(choices[0]) if choices else ()
        if literal:
            keys[key] = literal[0]
        elif key.endswith("url"):
            keys[key] = "https://feeds.example/feed"
        else:
            keys[key] = credential if field.repr is False else "word"
    return keys


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_kind_is_one_module_named_for_it(kind):
    module = kind.config.__module__.rsplit(".", 1)[-1]
    assert (SOURCES / f"{module}.py").is_file()
    assert kind.connect is None or kind.connect.__module__ == kind.config.__module__
    assert module == kind.name or (kind.name, module) == ("import", "imported")


def test_kind_names_are_unique_and_found_by_name():
    names = [kind.name for kind in KINDS]
    assert len(names) == len(set(names))
    assert all(kind_named(kind.name) is kind for kind in KINDS)
    with pytest.raises(KeyError):
        kind_named("myspace")


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_polled_kind_has_a_demo_feed_and_a_pushed_one_has_neither(kind):
    assert bool(kind.feed) == (not kind.pushed)


def test_no_two_kinds_answer_the_same_request():
    routes = [(kind.name, route) for kind in KINDS for route in kind.feed]
    for name, route in routes:
        probe = route.path + ("probe.json" if route.prefix else "")
        claimed = [other for other, r in routes if r.matches(route.method, probe)]
        assert claimed == [name], (route.method, probe, claimed)


def test_get_routes_answer_head_and_no_other_method():
    (route,) = kind_named("x").feed
    assert route.matches("GET", route.path) and route.matches("HEAD", route.path)
    assert not route.matches("POST", route.path)
    assert not route.matches("GET", route.path + "/more")


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_an_entry_is_validated_as_its_kinds_config(kind):
    config = source_config(**every_key(kind))
    assert type(config) is kind.config
    assert set(type(config).model_fields) == set(COMMON_KEYS) | set(kind.keys)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_credentials_stay_out_of_a_logged_config(kind):
    config = source_config(**every_key(kind))
    assert HIDDEN not in repr(config) and HIDDEN not in str(config)


def test_a_key_of_another_kind_or_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError, match="Extra inputs"):
        source_config(name="hn", kind="hackernews", query="acme", url="https://a.example/")
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        source_config(name="hn", kind="hackernewz", query="acme")


def test_only_enabled_polled_kinds_are_polled_and_connected():
    hn = source_config(name="hn", kind="hackernews", query="acme")
    hook = source_config(name="hook", kind="webhook", secret="s")
    assert polled(hn) and not polled(hook)
    assert not polled(source_config(name="off", kind="hackernews", query="a", enabled=False))
    with httpx.Client() as client:
        fetcher = Fetcher(client, source="hook")
        assert hasattr(connect(hn, fetcher), "poll")
        with pytest.raises(ValueError, match="pushed to, not polled"):
            connect(hook, fetcher)
