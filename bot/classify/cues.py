"""Hand-written signals of each category: what a person scanning a feed looks for.

The seed corpus cannot hold every way of saying "it crashes" or "would be nice if". A cue
groups the ways we know, so the model learns one weight for the idea rather than one per
phrasing, and the evidence shown in Slack reads as a reason ("asks for a feature") rather than
as an n-gram. Cues are features, not verdicts: the model decides what each is worth, and
corrections can outvote them.

Phrases are matched on words, not with regular expressions, because matching must cost
microseconds per mention: a word ending in `*` matches any word it begins ("crash*" finds
"crashes"), `*` alone matches any one word ("is * down"), and `#` matches any number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.classify import languages


@dataclass(frozen=True)
class Cue:
    name: str
    category: str
    description: str
    phrases: tuple[str, ...]
    pattern: re.Pattern[str] | None = None
    """For the few shapes that are not words, like the pipes of a job-thread post."""


def _cue(
    name: str, category: str, description: str, phrases: str, pattern: str | None = None
) -> Cue:
    listed = tuple(p.strip() for p in phrases.split(",") if p.strip())
    compiled = re.compile(pattern, re.IGNORECASE | re.MULTILINE) if pattern else None
    return Cue(name, category, description, listed, compiled)


CUES: tuple[Cue, ...] = (
    _cue(
        "broken",
        "support_issue",
        "reports something broken",
        """not work*, doesn't work*, don't work*, won't work*, isn't work*, stopped work*,
        never work*, won't load, won't open, won't start, won't let, won't sync, can't log*,
        can't sign, can't access, can't open, can't connect, can't find, can't get, can't see,
        can't use, can't load, can't install, can't pay, can't cancel, can't change,
        can't delete, can't download, can't upload, cannot, unable to, doesn't load,
        doesn't open, not loading, not opening, not syncing, not showing, not responding,
        not receiving, stopped sync*, stopped respond*, crash*, freez*, frozen, hangs,
        glitch*, buggy, bug, bugs, broken, broke, bricked, corrupt*, error*, exception,
        traceback, fail*, stuck, blank screen, black screen, grey screen, times out,
        timed out, timeout, keeps crash*, keeps clos*, keeps logg*, keeps fail*,
        keeps restart*, keeps sign*, keeps disconnect*, disconnect*, lag*, slow, drain*,
        missing, disappeared, vanished, lost all, lost my, deleted my, wrong, issue, issues,
        problem, problems, still not, no longer""",
    ),
    _cue(
        "outage",
        "support_issue",
        "says it is down",
        """is down, it's down, are down, went down, down again, down for, down right now,
        down today, outage, outages, offline, no signal, no service, no internet,
        no connection, no power, no water, status page, not reachable, unreachable, 500, 502,
        503, 504, 401, 403, 404, incident, service disruption""",
    ),
    _cue(
        "account",
        "support_issue",
        "has an account or billing problem",
        """log in, login, logged out, log out, sign in, signed out, password, locked out,
        account, charged, overcharged, double charged, refund*, billed, billing, invoice,
        invoices, cancel, cancelled, canceled, cancellation, subscription, renewed,
        auto-renew*, two-factor, 2fa, verification code, my card, card declined,
        payment declined, payment failed""",
    ),
    _cue(
        "delivery",
        "support_issue",
        "is waiting for an order",
        """my order, my parcel, my package, my delivery, my shipment, my luggage, my refund,
        my booking, my ticket, my flight, my claim, our order, the order, tracking, delivered,
        dispatched, out for delivery, never arrived, never received, never came, not arrived,
        hasn't arrived, still hasn't, in stock, out of stock, wrong size, wrong item,
        damaged, replacement, warranty, exchange, return, returned""",
    ),
    _cue(
        "waiting",
        "support_issue",
        "has been waiting for an answer",
        """still no, still waiting, still not, still haven't, no reply, no response,
        no answer, no update, on hold, call back, callback, called back, # days, # weeks,
        # hours, days now, weeks now, ticket open, been waiting, nobody, no one answers,
        no one responds, third time, again, every time, every single time, promised""",
    ),
    _cue(
        "asks_help",
        "support_issue",
        "asks for help",
        """help, help me, please help, please fix, fix this, fix it, sort it, how do i,
        how can i, how should i, what am i doing, what am i missing, what do i do, any idea,
        any ideas, any fix, anyone else having, anyone else getting, anyone else seeing,
        anyone else experiencing, is this a bug, is this known, known issue, why does, why is,
        why do, why did, why can't, why won't, what's going on, what's happening, where is,
        when will, can you check, can someone help, any help, any advice on fixing, dm'd,
        dm sent, sent a dm, is there a way, how to fix, how come""",
    ),
    _cue(
        "angry",
        "support_issue",
        "is upset with the service",
        """ridiculous, unacceptable, useless, terrible, awful, worst, joke, fuming, disgusted,
        appalling, shocking, pathetic, disappointed, disappointing, annoying, annoyed,
        frustrating, frustrated, furious, scam, fraud, rip off, ripoff, thanks for nothing,
        sort it out, seriously, wtf, smh, not ok, not okay, not happy, shameful, disgrace,
        horrible, rubbish, garbage, nightmare, never again, fail, #fail""",
    ),
    _cue(
        "request",
        "product_feedback",
        "asks for a feature",
        """please add, please make, please allow, please let, please bring, please support,
        please consider, please include, please give, please provide, please enable,
        please implement, please update, add an option, add option, add a setting,
        add a way, add support, add the ability, add ability, allow users, allow us,
        allow me, allow developers, allow apps, allow the user, allow to, allow for,
        let us, let me, let users, let developers, provide an, provide a, provide api,
        support for, enable the, expose the, feature request, suggestion, suggest,
        it would be nice, it would be great, it would be good, it would be useful,
        it would be helpful, it would be awesome, it would be cool, it would be better,
        would be nice, would be great, would be good, would be useful, would be helpful,
        would be awesome, would be cool, would be better, would be handy, would be amazing,
        would love, would like, i'd love, i'd like, i'd prefer, i wish, wish it, wish there,
        wish you, wish they, should be able, should have, should support, should allow,
        should let, should show, should offer, should include, should provide, should be,
        could you add, could be, make it possible, make it easier, make it easy, ability to,
        option to, consider adding, there should be, needs a, needs an, needs more,
        needs better, need a, need an, would be five stars, bring back, we need, i want,
        want to be able, hope, hoping, improve, improvement, enhance*, integrate with,
        integration with, why not, how about, wish, is it possible to, would it be possible,
        is needed, are needed, is required, are required, i need, we want, you could,
        you should, they should, should add, needs to, need to be able, it'd be, would make,
        it needs, needs to be, do not remove, don't remove, please don't, please do not,
        please keep, keep the""",
    ),
    _cue(
        "praise",
        "product_feedback",
        "praises the product",
        """love the, love this, love it, love your, love how, loving the, loving it,
        loving this, great app, great job, great work, great update, great product,
        great feature, well done, nicely done, kudos, shout out, shoutout, five stars,
        5 stars, best app, best update, best tool, huge improvement, big improvement,
        beautiful, gorgeous, impressed, brilliant, nailed it, amazing app, awesome app,
        thank you for, thanks for the, keep it up, keep up the""",
    ),
    _cue(
        "critique",
        "product_feedback",
        "critiques the design",
        """not a fan, too cluttered, too confusing, too small, too big, too many, too much,
        too long, too slow, confusing, cluttered, clunky, dated, ugly, hard to read,
        hard to find, hard to use, new design, new layout, new logo, new icon, new look,
        new ui, new menu, new version, redesign, user experience, ux, ui, interface, lacks,
        lacking, missing feature, feature, features, option, options, setting, settings""",
    ),
    _cue(
        "job_post",
        "hiring_signal",
        "is a job post",
        """we're hiring, we are hiring, is hiring, are hiring, now hiring, hiring, hire,
        join our team, join the team, join us, open role, open roles, open position,
        open positions, job, jobs, job opening, full-time, full time, fulltime, part-time,
        part time, contract role, contract-to-hire, remote ok, remote friendly, onsite,
        on-site, hybrid, visa, sponsorship, equity, salary, compensation, benefits,
        apply at, apply here, apply via, apply now, apply through, careers page, careers,
        per hour, position, positions, internship, intern, interns, role, roles, engineer,
        engineers, developer, developers, designer, manager, recruiting""",
        r"[$€£]\s?\d+\s?k\b|\b\d+\s?k\s?[-–]\s?[$€£]?\d+\s?k\b",
    ),
    _cue(
        "job_seeker",
        "hiring_signal",
        "is someone looking for work",
        """seeking work, for hire, hire me, open to work, open to new, open to opportunities,
        looking for a job, looking for work, looking for a role, looking for a position,
        looking for an internship, willing to relocate, resume, résumé, cv, portfolio,
        years of experience, yoe, job search, job hunt, job market, job hunting, application,
        applications, applied, applying, interview*, callback, callbacks, recruiter*,
        offer letter, got an offer, got the offer, accepted an offer, new grad, graduating,
        bootcamp, career*, co-founder, cofounder, hired, get hired""",
    ),
    _cue(
        "workplace",
        "hiring_signal",
        "is about working somewhere",
        """laid off, layoff, layoffs, lay off, fired, redundan*, severance, hiring freeze,
        work at, working at, work for, working for, worked at, employee*, employer,
        work-life, glassdoor, coworker*, colleague*, my manager, promotion, pay cut,
        pay rise, pay gap, salaries, union*, return to office, back to the office, rto,
        workplace, culture, team lead, my boss, quit my job, quitting, resigned, notice period""",
    ),
    _cue(
        "job_format",
        "hiring_signal",
        "follows the job-thread format",
        """location :, remote :, technologies :, willing to relocate :, résumé / cv,
        [ hiring ], [ for hire ], [ remote ], seeking work, who is hiring, who wants to be hired""",
        r"(?:\|[^|\n]{2,80}){2,}",
    ),
    _cue(
        "recommend",
        "sales_lead",
        "asks for a recommendation",
        """can anyone recommend, could anyone recommend, can someone recommend,
        can you recommend, anyone recommend, can anyone suggest, can someone suggest,
        could someone suggest, recommend a, recommend an, recommend me, recommend any,
        recommendations for, recommendation for, any recommendations, any suggestions,
        suggestions for, what do you use, what do you all use, what do people use,
        what would you use, what would you recommend, what should i use, what should we use,
        what are you using, what are people using, what's everyone using, which one,
        which tool, which platform, which service, which provider, which app, which software,
        which crm, which framework, which library, which database, which host, which vendor,
        which is better, what's the best, what is the best, best tool, best platform,
        best service, best provider, best app, best software, best crm, best way to host,
        best option, best solution, best alternative, looking for a tool,
        looking for a platform, looking for a service, looking for a provider,
        looking for an app, looking for software, looking for a crm, looking for a solution,
        looking for a system, looking for a vendor, looking for a supplier,
        looking for an agency, looking for a partner, looking for a host,
        looking for an alternative, looking for recommendations, in the market for,
        shopping around, shortlist, need a tool, need a platform, need a service,
        need software, need a recommendation, where to host, where should i host,
        is there a tool, is there a service, is there an app, is there a platform,
        is there a website, is there software, any good tools, any tools""",
    ),
    _cue(
        "compare",
        "sales_lead",
        "compares options",
        """vs, vs., versus, alternative to, alternatives to, alternative for,
        alternatives for, alternative, alternatives, switch from, switching from,
        switched from, switch to, switching to, migrate from, migrating from, moving from,
        moving to, move from, compare, comparing, comparison, evaluate, evaluating,
        worth it, worth the money, worth the price, better than, or should i, or should we,
        trying to choose, trying to decide, trying to pick, choosing between, deciding between,
        pros and cons, thinking of switching, thinking of moving, considering""",
    ),
    _cue(
        "buying",
        "sales_lead",
        "talks about buying",
        """pricing, price, prices, cost, costs, how much, quote, quotes, demo, free trial,
        trial, discount, discounts, license, licenses, licence, seats, per seat, per user,
        per month, budget, enterprise plan, annual plan, annual contract, purchase, buy,
        buying, vendor, vendors, procurement, sign up for, do you offer, does it support,
        do you support, does it integrate, do you ship, can it handle, affordable, cheap,
        cheaper, cheapest, expensive, plan, plans, tier, provider, providers""",
    ),
    _cue(
        "launch",
        "noise",
        "announces or promotes something",
        """show hn, launch hn, tell hn, just launched, just released, we just launched,
        we launched, release notes, changelog, introducing, i built, i made, i created,
        we built, product hunt, my new video, new video, new blog post, my blog post,
        link in bio, link in the comments, giveaway, webinar, feedback welcome,
        would love feedback, open-sourced, open sourced, i'm building, i am building,
        we're building, we are building, i've built, i have built, i've been building,
        i've been working on, i have been working on, i just built, just built, just shipped,
        early users, beta testers, beta users, looking for feedback, feedback appreciated,
        roast my, my side project, side project, made $, mrr""",
    ),
    _cue(
        "news",
        "noise",
        "is news",
        """raises, raised $, funding round, series a, series b, series c, acquires,
        acquisition, ipo, goes public, shares rise, shares fall, quarterly results, earnings,
        names new ceo, new ceo, partners with, according to, report :, lawsuit, regulators""",
    ),
)
IMPERATIVES = frozenset(
    """add allow enable support provide make let give include implement introduce integrate
    improve bring create expose offer show display change remove increase reduce extend open
    set consider develop build port publish release update use optimize optimise redesign
    rename separate merge sort hide unify simplify standardize standardise deprecate""".split()
)
"""Verbs that open a request when they open a post: "Allow custom fonts", "Bring back tabs"."""
BY_NAME = {cue.name: cue for cue in CUES}
_WORD = re.compile(r"[\w'#]+|[\[\]|:/]")
_PHRASE_WORD = re.compile(r"[\w'#*]+|[\[\]|:/]")


class PhraseMatcher:
    """Finds which named lists of phrases occur in a text, in one pass over its words.

    Phrases are indexed by their first two words, so a common word like "my" costs one lookup
    rather than a check of every phrase that starts with it.
    """

    def __init__(self, phrases: dict[str, tuple[str, ...]]) -> None:
        self._pairs: dict[tuple[str, str], list[Phrase]] = defaultdict(list)
        self._exact: dict[str, list[Phrase]] = defaultdict(list)
        self._stems: dict[str, list[Phrase]] = defaultdict(list)
        for name, listed in phrases.items():
            for text in listed:
                words = tuple(_PHRASE_WORD.findall(text.lower()))
                first = words[0]
                if first.endswith("*") and len(first) <= _STEM:
                    raise ValueError(f'"{text}": a stem needs {_STEM} letters before *')
                if first.endswith("*"):
                    self._stems[first[:_STEM]].append((words, name))
                elif len(words) > 1 and not _wild(words[1]):
                    self._pairs[first, words[1]].append((words, name))
                else:
                    self._exact[first].append((words, name))
        self._starting: dict[str, tuple[Phrase, ...]] = {}
        self._firsts = frozenset(first for first, _ in self._pairs)

    def find(self, text: str) -> set[str]:
        return set(self.first_matches(text))

    def first_matches(self, text: str) -> dict[str, str]:
        """Each list that occurs, with the words that first matched it."""
        tokens = _words(text)
        found: dict[str, str] = {}
        starting, pairs = self._starting, self._pairs
        firsts, last = self._firsts, len(tokens) - 1
        for i, token in enumerate(tokens):
            candidates = starting.get(token)
            if candidates is None:
                candidates = self._learn(token)
            if token in firsts and i < last and (token, tokens[i + 1]) in pairs:
                candidates = (*candidates, *pairs[token, tokens[i + 1]])
            if not candidates:
                continue
            for words, name in candidates:
                if name not in found and _matches(words, tokens, i):
                    found[name] = " ".join(tokens[i : i + len(words)])
        return found

    def _learn(self, token: str) -> tuple[Phrase, ...]:
        """The phrases not indexed by pairs that may start at this word, remembered."""
        found = [
            *self._exact.get(token, ()),
            *self._stems.get(token[:_STEM], ()),
            *(self._exact.get("#", ()) if token.isdigit() else ()),
        ]
        candidates = tuple((w, n) for w, n in found if _fits(w[0], token))
        if len(self._starting) < _REMEMBERED:
            self._starting[token] = candidates
        return candidates


@lru_cache(maxsize=1024)
def _words(text: str) -> list[str]:
    """The words phrases are matched on; remembered, as features and urgency read each post."""
    return _WORD.findall(text.lower())


Phrase = tuple[tuple[str, ...], str]
_STEM = 3
_REMEMBERED = 200_000


def _wild(word: str) -> bool:
    return word in ("#", "*") or word.endswith("*")


def _matches(words: tuple[str, ...], tokens: list[str], start: int) -> bool:
    if start + len(words) > len(tokens):
        return False
    return all(_fits(word, tokens[start + k]) for k, word in enumerate(words))


def _fits(word: str, token: str) -> bool:
    if word == "*":
        return True
    if word == "#":
        return token.isdigit()
    if word.endswith("*"):
        return token.startswith(word[:-1])
    return word == token


def find(text: str) -> list[Cue]:
    """The cues present in a (cleaned) text, each once, in the order of `CUES`; a text glossed
    from another language (`languages.gloss`) is read with that language's phrases too."""
    found = _matcher(languages.language_of(text)).find(text)
    return [
        cue
        for cue in CUES
        if cue.name in found or (cue.pattern is not None and cue.pattern.search(text))
    ]


def bilingual(english: dict[str, tuple[str, ...]], kind: str, language: str) -> PhraseMatcher:
    """English phrases with one other language's of `kind` ("cues", "alarms") beside them, and
    no third language's: a Swedish stem like "fel*" (wrong) must never find "feel" in English."""
    native = languages.phrases(kind, language)
    return PhraseMatcher(
        {name: (*listed, *native.get(name, ())) for name, listed in english.items()}
    )


@cache
def _matcher(language: str) -> PhraseMatcher:
    return bilingual({cue.name: cue.phrases for cue in CUES}, "cues", language)
