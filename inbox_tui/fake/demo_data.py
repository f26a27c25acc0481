"""Realistic, deterministic demo data: several brands, all three platforms, live arrivals.

The same seed gives the same inbox, so screenshots and snapshot tests are stable.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from inbox_tui.demo_keys import (
    DEMO_API_KEY,
    DEMO_META_PROFILE,
    DEMO_PAGE_ID,
    DEMO_PAGE_TOKEN,
    DEMO_PROFILES,
)
from inbox_tui.fake.graph import FakeGraph, FakeGraphSettings, GraphConversation, GraphMessage
from inbox_tui.fake.records import (
    Arrival,
    FakeConversation,
    FakeMessage,
    FakePlatform,
    FakeProfile,
    FakeSettings,
)
from inbox_tui.fake.state import FakeAyrshare

FIRST = [
    "Ava",
    "Maya",
    "Noah",
    "Liam",
    "Zoe",
    "Ines",
    "Kenji",
    "Priya",
    "Omar",
    "Lena",
    "Mateo",
    "Sofia",
    "Yuki",
    "Arjun",
    "Chloe",
    "Diego",
    "Hana",
    "Felix",
    "Nora",
    "Tariq",
    "Elif",
    "Jonas",
    "Amara",
    "Ravi",
    "Clara",
    "Luca",
    "Mila",
    "Sami",
    "Ingrid",
    "Tomas",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Haddad",
    "Moreau",
    "Rossi",
    "Novak",
    "Silva",
    "Kowalski",
    "Nguyen",
    "Fischer",
    "Kaur",
    "Dubois",
    "Petrov",
    "Sato",
    "Mensah",
    "Larsen",
    "Costa",
    "Ibrahim",
    "Walsh",
]

INBOUND = [
    "Hi! Do you ship to Canada?",
    "My order #{n} hasn't arrived yet, can you check?",
    "Is the {item} back in stock?",
    "Love the new {item} 😍",
    "Can I change the delivery address on my order?",
    "What are your opening hours this weekend?",
    "The {item} I got is damaged, what should I do?",
    "Do you have a discount code for first orders?",
    "Hey, quick question about returns",
    "Thanks so much for the fast reply!",
    "Is there a vegan option?",
    "Can you send me the invoice for order #{n}?",
    "I was charged twice 😟",
    "Do you do gift wrapping?",
    "Are you hiring for the summer?",
    "[URGENT] my account shows the wrong email",
    "Sure, here's a photo",
    "ok 👍",
    "What size should I get? I'm usually between M and L",
    "Any plans to open a store in Lisbon?",
]
OUTBOUND = [
    "Hi {first}! Thanks for reaching out, let me check that for you.",
    "Yes, we ship worldwide, usually 5-7 business days.",
    "Sorry about that! I've sent a replacement, tracking to follow.",
    "It's back next week, want me to reserve one for you?",
    "Our hours are 9-18 on Saturday, closed Sunday.",
    "Here's 10% off your first order: WELCOME10",
    "Refund issued, you'll see it in 3-5 days.",
    "Happy to help! Anything else?",
]
ITEMS = ["oat latte kit", "trail jacket", "vitamin C serum", "ceramic mug", "tent", "gift card"]
REACTIONS = ["❤️", "👍", "😆", "😮", "🙏"]


def _text(rng: random.Random, templates: list[str], first: str) -> str:
    return rng.choice(templates).format(
        n=rng.randint(1000, 9999), item=rng.choice(ITEMS), first=first
    )


def _conversation(
    rng: random.Random, fake: FakeAyrshare, platform: str, now: datetime
) -> FakeConversation:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    participant_id = str(rng.randint(10**15, 10**16 - 1))
    if platform == "facebook":
        cid = f"t_{rng.randint(10**15, 10**16 - 1)}"
    elif platform == "instagram":
        cid = f"aWdfZG{rng.randint(10**9, 10**10 - 1)}"
    else:
        cid = f"{rng.randint(10**17, 10**18 - 1)}-{participant_id}"
    conversation = FakeConversation(
        id=cid,
        participant_id=participant_id,
        participant_name=f"{first} {last}",
        participant_picture=f"https://cdn.example.com/avatars/{participant_id}.jpg"
        if platform != "twitter"
        else "",
        participant_username=f"{first.lower()}{last.lower()[:3]}{rng.randint(1, 99)}",
        status="archived" if rng.random() < 0.15 else "active",
        watermark=None,
    )
    # Recent activity is denser: most threads were last touched within days, a tail within weeks.
    last_at = now - timedelta(minutes=rng.expovariate(1 / 1800))
    if rng.random() < 0.1:  # a quiet tail: some Instagram reply windows have closed
        last_at -= timedelta(days=rng.uniform(7, 20))
    count = rng.choice([1, 2, 2, 3, 4, 5, 6, 8, 12, 20, 35])
    gaps = [timedelta(minutes=rng.uniform(1, 180)) for _ in range(count - 1)]
    when = last_at - sum(gaps, timedelta())
    for i in range(count):
        received = i == 0 or rng.random() < 0.55
        message = FakeMessage(
            id=fake.new_id({"facebook": "m_", "instagram": "aWdf", "twitter": "1"}[platform]),
            action="received" if received else "sent",
            created=when,
            text=_text(rng, INBOUND if received else OUTBOUND, first),
        )
        if received and rng.random() < 0.08:
            message.attachments = [
                {
                    "type": rng.choice(["image", "image", "video"]),
                    "url": f"https://cdn.example.com/media/{message.id}.jpg",
                }
            ]
            if rng.random() < 0.5:
                message.text = None  # attachment-only, as the docs allow
        if not received and rng.random() < 0.2:  # the correspondent reacted to our reply
            message.reactions = {participant_id: rng.choice(REACTIONS)}
        conversation.messages.append(message)
        if i < len(gaps):
            when += gaps[i]
    # Meta thread control: another app holds a few threads, so sends there fail.
    conversation.thread_controlled_by_other_app = platform != "twitter" and rng.random() < 0.03
    if platform != "twitter" and rng.random() < 0.3:
        conversation.watermark = int(last_at.timestamp() * 1000)
    return conversation


def build_demo(
    *,
    seed: int = 7,
    now: datetime | None = None,
    settings: FakeSettings | None = None,
    clock=None,
    live: bool = True,
) -> FakeAyrshare:
    """A fake filled with the demo inbox. With `live`, inbound messages keep arriving."""
    now = now or datetime.now(UTC)
    settings = settings or FakeSettings(api_key=DEMO_API_KEY)
    fake = FakeAyrshare(settings, clock=clock or (lambda: datetime.now(UTC)))
    rng = random.Random(seed)
    for key, title, platforms, per_platform in DEMO_PROFILES:
        profile = FakeProfile(title=title, ref_id=f"ref-{title.lower().replace(' ', '-')}")
        for platform, enabled in platforms.items():
            account = FakePlatform(
                account_id=str(rng.randint(10**14, 10**15 - 1)),
                account_name=title,
                messaging_enabled=enabled,
            )
            for _ in range(per_platform):
                conversation = _conversation(rng, fake, platform, now)
                account.conversations[conversation.id] = conversation
            profile.platforms[platform] = account
        if key is None:
            fake.primary = profile
        else:
            fake.profiles[key] = profile
    if live:
        _schedule_arrivals(fake, rng, now)
    return fake


def _schedule_arrivals(fake: FakeAyrshare, rng: random.Random, now: datetime) -> None:
    """New inbound messages every 10-40 s for two hours, spread over every brand."""
    when = now
    targets = []
    for key, _title, platforms, _n in DEMO_PROFILES:
        for platform, enabled in platforms.items():
            if enabled:
                targets.append((key, platform))
    while when < now + timedelta(hours=2):
        when += timedelta(seconds=rng.uniform(10, 40))
        key, platform = rng.choice(targets)
        conversations = list(fake.profile(key).platforms[platform].conversations.values())
        conversation = rng.choice(conversations[:15])
        first = conversation.participant_name.split()[0]
        fake.arrivals.append(
            Arrival(
                due=when,
                profile_key=key,
                platform=platform,
                conversation_id=conversation.id,
                message=FakeMessage(
                    id=fake.new_id(
                        {"facebook": "m_", "instagram": "aWdf", "twitter": "1"}[platform]
                    ),
                    action="received",
                    created=when,
                    text=_text(rng, INBOUND, first),
                ),
            )
        )


def build_graph_demo(
    *, seed: int = 7, now: datetime | None = None, clock=None, live: bool = True
) -> FakeGraph:
    """A Page's inbox: recent and older threads (some past the 24-hour window), a long one
    (past Meta's 20 detailed messages), and a few held by another app."""
    now = now or datetime.now(UTC)
    graph = FakeGraph(
        FakeGraphSettings(
            token=DEMO_PAGE_TOKEN,
            page_id=DEMO_PAGE_ID,
            page_name=DEMO_META_PROFILE,
            ig_username="fjord.bakery",
            usage_per_call=0.2,
        ),
        clock=clock or (lambda: datetime.now(UTC)),
    )
    rng = random.Random(seed + 1)
    n = 0
    for platform, count in (("messenger", 24), ("instagram", 18)):
        for i in range(count):
            n += 1
            first = rng.choice(FIRST)
            name = (
                f"{first} {rng.choice(LAST)}"
                if platform == "messenger"
                else first.lower() + f".{n}"
            )
            length = 45 if i == 2 else rng.randint(1, 8)
            when = now - timedelta(hours=rng.expovariate(1 / 30)) - timedelta(minutes=length * 20)
            conversation = GraphConversation(
                id=f"t_{DEMO_PAGE_ID}_{n}",
                platform=platform,
                participant_id=str(7_000_000_000_000 + n),
                participant_name=name,
                is_owner=rng.random() > 0.1,
            )
            for k in range(length):
                mine = k > 0 and rng.random() < 0.45
                text = _text(rng, OUTBOUND if mine else INBOUND, first)
                conversation.messages.append(GraphMessage(f"m_{n:03d}_{k:03d}", when, mine, text))
                when += timedelta(minutes=rng.uniform(2, 40))
            graph.add(conversation)
    # Labels given in Business Suite: the app shows them, and what is given here goes there.
    for n, label in ((1, "Wholesale"), (4, "VIP"), (6, "Wholesale")):
        graph.labels.put_on(str(7_000_000_000_000 + n), label)
    if live:
        ids = list(graph.conversations)[:10]
        when = now
        while when < now + timedelta(hours=2):
            when += timedelta(seconds=rng.uniform(30, 90))
            graph.scheduled.append((when, rng.choice(ids), _text(rng, INBOUND, "there")))
    return graph
