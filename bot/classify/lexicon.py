"""Topic word lists: what a post is about, beyond the words the seed corpus happens to use.

A few thousand seed posts cannot contain every word for a refund, a flight or a widget, nor
every word of a birthday, a match or a song. These lists give the model one feature per topic
("talks about buying and service", "talks about software", "talks about private life"), so a
post made of words the seed never used still lands near the posts it resembles.
"""

from __future__ import annotations

TOPICS: dict[str, frozenset[str]] = {
    "service": frozenset(
        """order orders ordered reorder delivery deliveries delivered deliver shipping shipped
        ship shipment package packages parcel parcels courier driver refund refunds refunded
        return returns returned exchange receipt receipts purchase purchased bought store
        stores shop shops branch outlet checkout till cashier price prices priced pricing
        charge charged charges charging fee fees bill bills billing billed invoice payment
        payments paid pay card cards account accounts balance bank transaction transactions
        subscription subscriptions membership contract contracts customer customers service
        services support agent agents rep representative manager staff helpline hotline hold
        complaint complaints complain claim claims warranty guarantee repair repairs repaired
        replace replacement replaced engineer technician appointment booking bookings booked
        reservation ticket tickets flight flights plane airport gate luggage baggage bag
        seat seats delay delays delayed cancelled canceled cancellation cancel train trains
        bus buses station platform hotel room reception restaurant menu meal meals burger
        fries sandwich product products item items stock size device phone laptop tv router
        modem broadband internet wifi signal network coverage outage connection speed
        website online login password policy compensation voucher coupon promo points
        rewards loyalty dealership dealer car vehicle insurance provider network plan
        plans upgrade engineer installation install installed meter energy electricity gas
        water boiler landlord rent deposit overcharged undelivered shipping tracking""".split()
    ),
    "software": frozenset(
        """app apps application applications feature features option options setting settings
        button buttons menu menus tab tabs page pages screen screens view views layout design
        interface ui ux theme mode widget widgets notification notifications toolbar sidebar
        editor search filter sort folder folders file files export import sync backup api
        apis sdk library libraries control controls property properties method methods class
        classes function functions event events parameter parameters emulator simulator
        developer developers dev devs platform compatibility compatible version versions
        release update updates updated upgrade device devices tablet ipad iphone android ios
        windows mac linux keyboard touch gesture swipe scroll zoom font text image images
        photo photos video videos camera audio sound map maps location gps bluetooth nfc
        battery memory storage cloud profile user users tile tiles background task tasks
        calendar contacts message messages inbox browser extension plugin plugins code
        database server client endpoint webhook token tokens config configuration deploy
        deployment build install installer download downloads upload uploads crash crashes
        bug bugs error errors login logout password sign signup dashboard admin permissions
        toggle checkbox dropdown popup pop-up shortcut shortcuts default customize customise
        customization integration integrations""".split()
    ),
    "work": frozenset(
        """job jobs hiring hire hired role roles position positions career careers salary
        salaries pay equity remote onsite hybrid office relocate relocation visa resume
        résumé cv interview interviews interviewing recruiter recruiters recruiting offer
        offers applicant applicants apply applied applying application candidate candidates
        employer employers employee employees intern interns internship layoff layoffs
        laid fired severance promotion manager colleague colleagues coworker coworkers team
        engineer engineers developer developers designer senior junior staff lead contract
        contractor freelance freelancer freelancing full-time part-time fulltime benefits
        onboarding startup founder co-founder cofounder yoe experience portfolio skills""".split()
    ),
    "buying": frozenset(
        """recommend recommendation recommendations recommended suggest suggestions alternative
        alternatives vs versus compare comparison comparing evaluate evaluating options
        choose choosing pick picking decide deciding best cheapest cheaper affordable pricing
        price quote quotes demo trial vendor vendors provider providers tool tools platform
        platforms software solution solutions service services crm budget license licenses
        seats plan plans tier subscription worth switch switching migrate migrating""".split()
    ),
    "life": frozenset(
        """mom mum mother dad father sister brother son daughter kids kid baby family friend
        friends bestie girlfriend boyfriend wife husband grandma nan grandpa granny uncle
        aunt cousin birthday wedding party holiday holidays vacation weekend tonight
        christmas easter church god jesus pray praying prayer blessed love loved lovely miss
        heart cute beautiful gorgeous happy sad cry crying laugh laughing lol lmao haha omg
        tbh bae girl girls guy guys dude bro sis game games match team season league goal
        score player players coach win won fans football soccer basketball baseball hockey
        nfl nba music song songs album concert tour band singer dance dancing movie movies
        film show episode series book books reading school class teacher college uni
        university exam exams homework study vote voting election president government
        politics world life people sleep sleeping tired bed morning night dream weather rain
        sun sunny snow summer winter beach dog dogs cat cats puppy pets hair nails makeup
        outfit selfie pic pics picture beer wine drunk gym workout yoga hug hugs kiss
        boyfriend crush bff proud congrats congratulations cheers fun funny hilarious
        amazing awesome best tweet tweets follow followers retweet""".split()
    ),
}


def topics(tokens: list[str]) -> list[str]:
    """One marker per token that belongs to a topic, so the count says how much of it there is."""
    return [marker for token in tokens if token in _MARKERS for marker in _MARKERS[token]]


_MARKERS: dict[str, tuple[str, ...]] = {
    word: tuple(f"_topic_{name}" for name, words in TOPICS.items() if word in words)
    for word in set().union(*TOPICS.values())
}
"""Each topic word with its markers: one lookup a token rather than one a token and topic."""
