"""The seed corpus: posts written for Silta, so the classifier works before anyone corrects it.

Each `<category>.txt` holds posts separated by blank lines; GUIDELINES.md says how they were
labelled. Posts name companies through placeholders (`{brand}`, `{handle}`, `{product}`,
`{rival}`, `{lib}`), filled in here from lists of names, so the model learns what people say
rather than whom they say it about. Each post is rendered once with real-looking names and once
with the context tokens that `bot.classify.context` substitutes for the workspace's own names,
so a workspace's silta.toml sharpens the model without retraining it.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from importlib.resources import files

from bot.classify import context, languages
from bot.classify.seed import generate
from bot.classify.text import clean
from bot.taxonomy import CATEGORIES

BRANDS = tuple(
    """Acme Globex Initech Hooli Umbrella Vandelay Soylent Tyrell Wonka Cyberdyne Aperture
    Stark Nakatomi Monzo Revolut Spotify Netflix Comcast Verizon Vodafone Delta Ryanair Uber
    Airbnb Zalando Tesco IKEA Samsung Xbox PlayStation Dell Shopify Stripe Notion Slack
    Dropbox Zendesk HubSpot Asana Canva Figma GitHub Vercel Heroku Twilio Deliveroo DoorDash
    Walmart Target Costco BestBuy HomeDepot Lowes Kroger Safeway Walgreens CVS Sainsburys
    Asda Morrisons Argos Currys Boots JohnLewis MarksAndSpencer Primark Nike Adidas Puma
    Zara HM Uniqlo Gap Sephora Ulta Starbucks McDonalds BurgerKing KFC Dominos PizzaHut
    Subway Chipotle TacoBell Wendys Greggs Nandos JustEat UberEats Grubhub Instacart
    AmericanAir United Southwest JetBlue BritishAirways EasyJet Lufthansa KLM AirFrance
    Emirates Qantas AirCanada Amtrak VirginTrains Avanti Hertz Avis Expedia Booking Hilton
    Marriott Hyatt ATT TMobile Sprint Sky BT VirginMedia EE Three O2 Telstra Rogers Xfinity
    Spectrum Hulu Disney HBO Peacock Roku Sonos Bose Apple Google Microsoft Amazon Kindle
    Fitbit Garmin GoPro Canon Nikon HP Lenovo Asus Acer Logitech Nintendo Steam EA
    Ubisoft Activision Tesla Ford Toyota Honda Nissan BMW Volkswagen Hyundai Kia Subaru
    Chase BankOfAmerica WellsFargo Barclays HSBC Lloyds Santander Nationwide PayPal Venmo
    CashApp Klarna Wise Chime Coinbase FedEx UPS USPS DHL RoyalMail Hermes Evri DPD
    Dyson Whirlpool Philips Bosch Miele Peloton Duolingo Tinder Snapchat Pinterest Reddit
    Twitch Discord Zoom Adobe Intuit Squarespace Wix GoDaddy Namecheap Etsy eBay Wayfair
    Chewy Zappos Nordstrom Macys Kohls Gymshark ASOS Shein Temu AliExpress""".split()
)
HANDLE_FORMS = (
    "@{}",
    "@{}",
    "@{}",
    "@{}",
    "@{}",
    "@{}",
    "@{}Support",
    "@{}Help",
    "@{}Cares",
    "@Ask{}",
    "@{}_UK",
    "@{}CS",
    "@{}US",
    "@{}Service",
)
PRODUCTS = (
    "Acme Cloud",
    "Acme Mobile",
    "Notion",
    "Jira",
    "Slack",
    "VS Code",
    "Docker",
    "Postgres",
    "Supabase",
    "Firebase",
    "Vercel",
    "Netlify",
    "Airtable",
    "Zapier",
    "Webflow",
    "Figma",
    "Linear",
    "Sentry",
    "Datadog",
    "Grafana",
    "Metabase",
    "Retool",
    "Mailchimp",
    "Intercom",
    "Calendly",
    "Obsidian",
    "Todoist",
    "Trello",
    "Pipedrive",
    "QuickBooks",
    "Xero",
    "Gusto",
    "Pinecone",
    "Weaviate",
    "Ollama",
    "LangChain",
    "LlamaIndex",
    "the Globex app",
)
LIBRARIES = (
    "langchain",
    "llama-index",
    "openai",
    "requests",
    "pandas",
    "fastapi",
    "django",
    "transformers",
    "pydantic",
    "sqlalchemy",
    "numpy",
    "react-query",
    "prisma",
    "boto3",
)
RIVALS = (
    "Globex",
    "Initech",
    "Salesforce",
    "Zendesk",
    "Freshdesk",
    "Mailchimp",
    "Asana",
    "Monday.com",
    "ClickUp",
    "Trello",
    "Jira",
    "Notion",
    "Confluence",
    "Intercom",
    "Heroku",
    "Firebase",
    "Pinecone",
    "Datadog",
    "New Relic",
    "QuickBooks",
    "Squarespace",
    "Wix",
)
_PLACEHOLDER = re.compile(r"\{(brand|handle|product|rival|lib)\}")
POOLS = {"brand": BRANDS, "product": PRODUCTS, "rival": RIVALS, "lib": LIBRARIES}


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    weight: float = 1.0


def posts(category: str, language: str = "en") -> list[str]:
    """The hand-written posts of one category in one language, placeholders and all: English in
    this folder, every other language read in a folder named by its code."""
    folder = files(__package__)
    path = (folder if language == "en" else folder.joinpath(language)).joinpath(f"{category}.txt")
    if not path.is_file():
        return []
    raw = path.read_text(encoding="utf-8")
    return [p.strip() for p in raw.split("\n\n") if p.strip()]


def load() -> list[Example]:
    """The whole corpus, cleaned and glossed as posts are: hand-written posts in every language
    read (with names, and again with context tokens where they name anyone) and composed
    English ones, which count for less because they vary less."""
    examples = [
        _prepared(example, language)
        for language in languages.READ
        for category in CATEGORIES
        for post in posts(category, language)
        for example in _written(post, category)
    ]
    rng = random.Random(20261126)
    composed = generate.compose(rng, lambda post: _fill(post, rng))
    for category, texts in composed.items():
        examples += [_prepared(Example(text, category, COMPOSED_WEIGHT), "en") for text in texts]
    return examples


def _written(post: str, category: str) -> list[Example]:
    examples = [Example(_with_names(post, _rng(post)), category)]
    if _PLACEHOLDER.search(post):
        examples.append(Example(_PLACEHOLDER.sub(_token, post), category))
    return examples + [Example(text, category) for text in _variants(post, category)]


def _prepared(example: Example, language: str) -> Example:
    return Example(languages.gloss(clean(example.text), language), example.label, example.weight)


COMPOSED_WEIGHT = 0.5
PEOPLE = tuple(
    """jess_m92 coach_dre tomh sam_writes daveyboy92 the_real_nina kev_o lucyloo mike_t88
    rachel_g abbyroad jtaylor sarahmoon benji_k tomhollis priya_s marcus_b ellie_rose
    danny_mac laurenxo""".split()
)
"""Handles of people, for chit-chat written as replies."""


def _variants(post: str, category: str) -> list[str]:
    """More ways of writing a post, so that who it is addressed to does not decide its label.

    Every mention Silta classifies is already about the company, whether or not it tags the
    company's account: a complaint without `@Brand` is still a complaint, so a post that tags
    the account is learnt without the tag too. And people reply to each other: chit-chat is
    learnt as a reply to a person as well, or any `@someone` would read as a customer talking
    to a brand.
    """
    rng = _rng(f"variant {post}")
    if category == "noise":
        return [f"@{rng.choice(PEOPLE)} {_with_names(post, rng)}"]
    if "{handle}" in post:
        return [_with_names(" ".join(post.replace("{handle}", "").split()), rng)]
    return []


def fingerprint() -> str:
    """A short hash of everything a seed model is made from: the corpus and the phrases it is
    composed from, the code that renders it and the code that turns text into features. The
    version changes when any of them does."""
    digest = hashlib.sha256()
    for source in ("__init__.py", "generate.py"):
        digest.update(files(__package__).joinpath(source).read_bytes())
    phrase_files = files(__package__).joinpath("phrases").iterdir()
    for phrase_file in sorted(phrase_files, key=lambda found: found.name):
        if phrase_file.name.endswith(".toml"):
            digest.update(phrase_file.read_bytes())
    for language in languages.READ:
        for category in CATEGORIES:
            digest.update("\n\n".join(posts(category, language)).encode())
    for module in MODEL_CODE:
        digest.update(files("bot.classify").joinpath(module).read_bytes())
    for language in languages.STEMMERS:
        digest.update(files(languages.__name__).joinpath(f"{language}.toml").read_bytes())
    return digest.hexdigest()[:10]


MODEL_CODE = (
    "text.py",
    "context.py",
    "cues.py",
    "lexicon.py",
    "features.py",
    "model.py",
    "train.py",
    "languages/__init__.py",
)


def _rng(post: str) -> random.Random:
    """The same post always gets the same names, whatever else changes in the corpus."""
    return random.Random(hashlib.sha256(post.encode()).hexdigest())


def _fill(post: str, rng: random.Random) -> str:
    return _PLACEHOLDER.sub(_token, post) if rng.random() < 0.3 else _with_names(post, rng)


def _with_names(post: str, rng: random.Random) -> str:
    def name(match: re.Match[str]) -> str:
        kind = match.group(1)
        if kind == "handle":
            return rng.choice(HANDLE_FORMS).format(rng.choice(BRANDS).replace(" ", ""))
        return rng.choice(POOLS[kind])

    return _PLACEHOLDER.sub(name, post)


def _token(match: re.Match[str]) -> str:
    return context.TOKENS[match.group(1)]
