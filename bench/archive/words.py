"""What the generated pages' text is made of: the tag pool, places, sentences, the headline prefix,
and the names in the date line."""

from __future__ import annotations

# "News" heads every real tag cloud; the other 199 are drawn from.
TAGS = ("News", *sorted({
    "Kharkiv", "Kyiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Mykolaiv", "Lviv", "Sumy",
    "Chernihiv", "Poltava", "Vinnytsia", "Zhytomyr", "Donetsk region", "Luhansk region", "Pokrovsk",
    "Kupiansk", "Bakhmut", "Avdiivka", "Huliaipole", "Kramatorsk", "Sloviansk", "Kostiantynivka",
    "Mariupol", "Melitopol", "Kremenchuk", "Crimea", "Sevastopol", "Black Sea", "Azov Sea",
    "Bryansk", "Belgorod", "Kursk", "Moscow", "Novorossiysk", "Ryazan", "Chernivtsi", "Uzhhorod",
    "Ivano-Frankivsk", "Ternopil", "Rivne", "Lutsk", "Khmelnytskyi", "Kropyvnytskyi", "Cherkasy",
    "USA", "EU", "Germany", "France", "United Kingdom", "Poland", "Denmark", "Norway", "Sweden",
    "Finland", "Estonia", "Latvia", "Lithuania", "Moldova", "Romania", "Hungary", "Slovakia",
    "Czech Republic", "Netherlands", "Belgium", "Italy", "Spain", "Canada", "Japan", "Turkey",
    "China", "India", "Iran", "North Korea", "Belarus", "Georgia", "Israel", "NATO", "UN", "IAEA",
    "G7", "European Council", "European Commission", "European Parliament", "Pentagon",
    "White House", "Kremlin", "General Staff", "Air Force", "Ukrainian Navy", "SBU", "HUR", "ISW",
    "Volodymyr Zelensky", "Donald Trump", "Vladimir Putin", "Emmanuel Macron", "Friedrich Merz",
    "Keir Starmer", "Ursula von der Leyen", "Mark Rutte", "Denys Shmyhal", "Yulia Svyrydenko",
    "Andrii Sybiha", "Oleksandr Syrskyi", "Kyrylo Budanov", "Vitali Klitschko", "Ihor Terekhov",
    "Oleh Syniehubov", "air defense", "missiles", "drones", "Shahed", "guided bombs", "Patriot",
    "IRIS-T", "F-16", "artillery", "tanks", "interceptor drones", "naval drones",
    "electronic warfare", "shelling", "civilian casualties", "evacuation", "prisoner exchange",
    "mobilization", "war crimes", "occupied territories", "deportation of children",
    "humanitarian aid", "sanctions", "energy", "power outages", "gas", "oil", "Rosneft", "Lukoil",
    "Gazprom", "Druzhba pipeline", "refineries", "nuclear safety", "Zaporizhzhia NPP", "grain",
    "exports", "economy", "budget", "inflation", "National Bank", "hryvnia", "IMF", "World Bank",
    "frozen assets", "reparations loan", "minerals deal", "defense industry", "startups", "Brave1",
    "investment", "agriculture", "railways", "Ukrzaliznytsia", "logistics", "ports", "education",
    "health care", "culture", "sport", "football", "Olympics", "Eurovision", "cinema", "literature",
    "history", "religion", "elections", "corruption", "NABU", "parliament", "Verkhovna Rada",
    "Cabinet of Ministers", "diplomacy", "peace talks", "security guarantees", "Ramstein", "PURL",
    "European integration", "accession talks", "migration", "refugees", "disinformation",
    "propaganda", "cyberattacks", "Telegram", "media", "journalists", "human rights", "veterans",
    "Nordic countries",
}))  # fmt: skip
MAX_EXTRA_TAGS = 5
PLACES = (
    "Kharkiv", "Kyiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Mykolaiv", "Sumy",
    "Chernihiv", "Poltava", "Lviv", "Vinnytsia", "Zhytomyr", "Cherkasy", "Kramatorsk", "Sloviansk",
)  # fmt: skip
SENTENCES = (
    "{place} officials reported {n} incidents over the past day.",
    "According to the regional administration in {place}, {n} residents were evacuated.",
    "Emergency services in {place} said they had answered {n} calls since the morning.",
    "The {place} city council said {n} buildings still need repairs.",
    "Volunteers in {place} delivered {n} tonnes of aid this week.",
    "Power engineers in {place} restored supply to {n} households overnight.",
    "Local media in {place} counted {n} air raid alerts this month.",
    "The update for {place} was published at {hh:02d}:{mm:02d} local time.",
)
TITLE_PREFIX = "Dispatch {n}: "
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
