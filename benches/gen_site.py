#!/usr/bin/env python3
"""A deterministic synthetic hotdesk site for benchmarks (search index, build time).

Writes N coworking spaces in hotdesk's content format (see src/raw.rs and
tests/fixtures/site-minimal/): content/site.yaml, amenities.yaml, regions.yaml,
spaces/<slug>.md, partnerships/<slug>.md and sessions/<slug>.md. The size and variety
follow the shared benchmark generator (`gen_content.py --format plain`): the same
cities, amenities with the same frequencies, price tiers, opening hours, accessibility,
languages, programmes, info sessions and 150–400-word Markdown bodies. Regions are the
cities. Every space comes from its own RNG seeded with "<seed>:<index>", so output is
byte-identical from run to run and the first 1,000 spaces of N=10,000 are the N=1,000 run.

Standard library only. Example:
    python3 benches/gen_site.py -n 10000 --out target/bench-site-10k
    cargo run --release -- build --root target/bench-site-10k --now 2026-06-01
"""

import argparse
import json
import os
import random
import re
import shutil
import unicodedata

# ----------------------------------------------------------------------------- data
# (the tables of the shared benchmark generator, so both describe the same directory)

# city, region, country, ISO code, lat, lon, currency, languages
CITIES = [
    ("Berlin", "Berlin", "Germany", "DE", 52.520, 13.405, "EUR", ["de", "en"]),
    ("München", "Bavaria", "Germany", "DE", 48.137, 11.575, "EUR", ["de", "en"]),
    ("Hamburg", "Hamburg", "Germany", "DE", 53.551, 9.993, "EUR", ["de", "en"]),
    ("Köln", "North Rhine-Westphalia", "Germany", "DE", 50.938, 6.960, "EUR", ["de", "en"]),
    ("Paris", "Île-de-France", "France", "FR", 48.857, 2.352, "EUR", ["fr", "en"]),
    ("Lyon", "Auvergne-Rhône-Alpes", "France", "FR", 45.764, 4.836, "EUR", ["fr", "en"]),
    ("Marseille", "Provence-Alpes-Côte d'Azur", "France", "FR", 43.297, 5.370, "EUR", ["fr"]),
    ("Madrid", "Community of Madrid", "Spain", "ES", 40.417, -3.704, "EUR", ["es", "en"]),
    ("Barcelona", "Catalonia", "Spain", "ES", 41.387, 2.168, "EUR", ["ca", "es", "en"]),
    ("Valencia", "Valencian Community", "Spain", "ES", 39.470, -0.376, "EUR", ["es", "en"]),
    ("Lisbon", "Lisbon", "Portugal", "PT", 38.722, -9.139, "EUR", ["pt", "en"]),
    ("Porto", "Norte", "Portugal", "PT", 41.158, -8.629, "EUR", ["pt", "en"]),
    ("Amsterdam", "North Holland", "Netherlands", "NL", 52.368, 4.904, "EUR", ["nl", "en"]),
    ("Rotterdam", "South Holland", "Netherlands", "NL", 51.924, 4.478, "EUR", ["nl", "en"]),
    ("Brussels", "Brussels-Capital", "Belgium", "BE", 50.850, 4.352, "EUR", ["fr", "nl", "en"]),
    ("Zürich", "Zürich", "Switzerland", "CH", 47.377, 8.541, "CHF", ["de", "en"]),
    ("Geneva", "Geneva", "Switzerland", "CH", 46.204, 6.143, "CHF", ["fr", "en"]),
    ("Vienna", "Vienna", "Austria", "AT", 48.208, 16.374, "EUR", ["de", "en"]),
    ("Milan", "Lombardy", "Italy", "IT", 45.464, 9.190, "EUR", ["it", "en"]),
    ("Rome", "Lazio", "Italy", "IT", 41.903, 12.496, "EUR", ["it", "en"]),
    ("Kraków", "Lesser Poland", "Poland", "PL", 50.065, 19.945, "PLN", ["pl", "en"]),
    ("Warsaw", "Masovia", "Poland", "PL", 52.230, 21.012, "PLN", ["pl", "en"]),
    ("Prague", "Prague", "Czechia", "CZ", 50.076, 14.438, "CZK", ["cs", "en"]),
    ("Copenhagen", "Capital Region", "Denmark", "DK", 55.676, 12.568, "DKK", ["da", "en"]),
    ("Stockholm", "Stockholm County", "Sweden", "SE", 59.329, 18.069, "SEK", ["sv", "en"]),
    ("Malmö", "Skåne", "Sweden", "SE", 55.605, 13.004, "SEK", ["sv", "en"]),
    ("Oslo", "Oslo", "Norway", "NO", 59.914, 10.752, "NOK", ["no", "en"]),
    ("Helsinki", "Uusimaa", "Finland", "FI", 60.170, 24.938, "EUR", ["fi", "sv", "en"]),
    ("Tallinn", "Harju County", "Estonia", "EE", 59.437, 24.754, "EUR", ["et", "en"]),
    ("Dublin", "Leinster", "Ireland", "IE", 53.350, -6.260, "EUR", ["en", "ga"]),
    ("London", "Greater London", "United Kingdom", "GB", 51.507, -0.128, "GBP", ["en"]),
    ("Manchester", "Greater Manchester", "United Kingdom", "GB", 53.481, -2.243, "GBP", ["en"]),
    ("Edinburgh", "Scotland", "United Kingdom", "GB", 55.953, -3.189, "GBP", ["en"]),
    ("New York", "New York", "United States", "US", 40.713, -74.006, "USD", ["en", "es"]),
    ("San Francisco", "California", "United States", "US", 37.775, -122.419, "USD", ["en", "es"]),
    ("Austin", "Texas", "United States", "US", 30.267, -97.743, "USD", ["en", "es"]),
    ("Chicago", "Illinois", "United States", "US", 41.878, -87.630, "USD", ["en"]),
    ("Toronto", "Ontario", "Canada", "CA", 43.653, -79.383, "CAD", ["en", "fr"]),
    ("Montréal", "Québec", "Canada", "CA", 45.502, -73.567, "CAD", ["fr", "en"]),
    ("Vancouver", "British Columbia", "Canada", "CA", 49.283, -123.121, "CAD", ["en"]),
    ("Mexico City", "Mexico City", "Mexico", "MX", 19.433, -99.133, "MXN", ["es", "en"]),
    ("São Paulo", "São Paulo", "Brazil", "BR", -23.551, -46.633, "BRL", ["pt", "en"]),
    ("Buenos Aires", "Buenos Aires", "Argentina", "AR", -34.604, -58.382, "ARS", ["es", "en"]),
    ("Bogotá", "Bogotá D.C.", "Colombia", "CO", 4.711, -74.072, "COP", ["es", "en"]),
    ("Cape Town", "Western Cape", "South Africa", "ZA", -33.925, 18.424, "ZAR", ["en", "af"]),
    ("Nairobi", "Nairobi County", "Kenya", "KE", -1.292, 36.822, "KES", ["en", "sw"]),
    ("Lagos", "Lagos State", "Nigeria", "NG", 6.524, 3.379, "NGN", ["en"]),
    ("Tokyo", "Tokyo", "Japan", "JP", 35.676, 139.650, "JPY", ["ja", "en"]),
    ("Seoul", "Seoul", "South Korea", "KR", 37.567, 126.978, "KRW", ["ko", "en"]),
    ("Singapore", "Central Region", "Singapore", "SG", 1.352, 103.820, "SGD", ["en", "zh", "ms"]),
    ("Bangkok", "Bangkok", "Thailand", "TH", 13.756, 100.502, "THB", ["th", "en"]),
    ("Bengaluru", "Karnataka", "India", "IN", 12.972, 77.595, "INR", ["en", "hi", "kn"]),
    ("Sydney", "New South Wales", "Australia", "AU", -33.869, 151.209, "AUD", ["en"]),
    ("Melbourne", "Victoria", "Australia", "AU", -37.814, 144.963, "AUD", ["en"]),
    ("Auckland", "Auckland", "New Zealand", "NZ", -36.849, 174.763, "NZD", ["en", "mi"]),
    ("Tel Aviv", "Tel Aviv District", "Israel", "IL", 32.085, 34.782, "ILS", ["he", "en"]),
    ("Istanbul", "Istanbul", "Türkiye", "TR", 41.008, 28.978, "TRY", ["tr", "en"]),
    ("Dubai", "Dubai", "United Arab Emirates", "AE", 25.205, 55.271, "AED", ["ar", "en"]),
]

# units of each currency per euro (rounded; only used to make prices look plausible)
FX = {"EUR": 1, "CHF": 1.4, "PLN": 4.3, "CZK": 25, "DKK": 7.5, "SEK": 11, "NOK": 11.5,
      "GBP": 0.85, "USD": 1.1, "CAD": 1.5, "MXN": 19, "BRL": 5.5, "ARS": 950, "COP": 4300,
      "ZAR": 20, "KES": 140, "NGN": 1600, "JPY": 160, "KRW": 1450, "SGD": 1.45, "THB": 38,
      "INR": 90, "AUD": 1.65, "NZD": 1.8, "ILS": 4, "TRY": 35, "AED": 4}

# id, label, category, probability that a space offers it
AMENITIES = [
    ("wifi", "High-speed Wi-Fi", "connectivity", 0.97),
    ("ethernet", "Wired ethernet", "connectivity", 0.35),
    ("printing", "Printing and scanning", "office", 0.7),
    ("meeting-rooms", "Meeting rooms", "rooms", 0.8),
    ("phone-booths", "Phone booths", "rooms", 0.55),
    ("event-space", "Event space", "rooms", 0.4),
    ("podcast-studio", "Podcast studio", "rooms", 0.1),
    ("private-offices", "Private offices", "rooms", 0.5),
    ("quiet-zone", "Quiet zone", "rooms", 0.45),
    ("coffee", "Free coffee and tea", "food", 0.85),
    ("kitchen", "Shared kitchen", "food", 0.65),
    ("cafe", "On-site café", "food", 0.25),
    ("lockers", "Lockers", "storage", 0.5),
    ("mail-handling", "Mail handling", "office", 0.35),
    ("business-address", "Registered business address", "office", 0.3),
    ("reception", "Staffed reception", "office", 0.45),
    ("access-24-7", "Open 24 hours", "access", 0.3),
    ("bike-storage", "Bike storage", "transport", 0.5),
    ("parking", "Car parking", "transport", 0.3),
    ("ev-charging", "EV charging", "transport", 0.1),
    ("showers", "Showers", "wellbeing", 0.35),
    ("childcare", "Childcare", "wellbeing", 0.05),
    ("pet-friendly", "Pet friendly", "wellbeing", 0.25),
    ("outdoor-terrace", "Outdoor terrace", "wellbeing", 0.2),
    ("standing-desks", "Standing desks", "furniture", 0.4),
    ("ergonomic-chairs", "Ergonomic chairs", "furniture", 0.6),
    ("monitors", "External monitors", "furniture", 0.35),
    ("air-conditioning", "Air conditioning", "building", 0.55),
    ("community-events", "Community events", "community", 0.5),
    ("mentoring", "Mentoring programme", "community", 0.15),
]
AMENITY_LABEL = {a[0]: a[1] for a in AMENITIES}

# tier id, label, period, min and max price in EUR
PRICE_TIERS = [
    ("day-pass", "Day pass", "day", 12, 40),
    ("hot-desk", "Hot desk", "month", 120, 380),
    ("dedicated-desk", "Dedicated desk", "month", 220, 550),
    ("private-office", "Private office", "month", 450, 2600),
    ("meeting-room", "Meeting room", "hour", 12, 70),
]

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

ADJECTIVES = ["Copper", "Harbour", "Maple", "Nimbus", "Atlas", "Lumen", "Orbit", "Cedar",
              "Granite", "Canvas", "Beacon", "Summit", "Meridian", "Vertex", "Prism", "Juniper",
              "Cobalt", "Indigo", "Saffron", "Willow", "Ember", "Northstar", "Basalt", "Linden",
              "Quarry", "Tandem", "Kite", "Anchor", "Lantern", "Pioneer", "Mosaic", "Fern",
              "Harvest", "Ironworks", "Signal", "Bright", "Open", "Second", "Common", "Urban"]
NOUNS = ["Works", "Hub", "Lab", "Loft", "Commons", "Collective", "House", "Studio", "Yard",
         "Station", "Exchange", "Quarter", "Space", "Base", "Desk", "Rooms", "Foundry",
         "Hive", "Nest", "Garage"]
DISTRICTS = ["Old Town", "Riverside", "Central", "Docklands", "North", "South", "East End",
             "West", "Station", "Harbourside", "Market", "Uptown", "Midtown", "Arts District",
             "University", "Canal Side"]
STREETS = ["Market Street", "Station Road", "Harbour Lane", "Mill Street", "Church Street",
           "Park Avenue", "Bridge Road", "King Street", "Queen Street", "Garden Row",
           "Factory Lane", "River Walk", "Hill Street", "Union Square", "Printers Yard"]

PROGRAMMES = [
    ("Civil Servants Work Near Home", "members"),
    ("Public Sector Drop-in Desk", "drop-in advisor"),
    ("Startup Visa Information Point", "drop-in advisor"),
    ("Regional Remote Work Pilot", "hot-desk memberships"),
    ("Small Business Advice Hours", "drop-in advisor"),
    ("Digital Skills Voucher", "hot-desk memberships"),
]
AGENCIES = ["City of {city} Economic Development Office", "{region} Regional Government",
            "Ministry of Economy ({country})", "{city} Chamber of Commerce",
            "National Digital Agency ({country})"]
SESSION_TITLES = ["How to apply: {programme}", "{programme}: information session",
                  "Meet the advisors: {programme}", "Q&A on {programme}"]

SENTENCES = [
    "{name} opened in {year} in a converted {building} close to {district}.",
    "The space has room for about {capacity} people across {floors} floors.",
    "Members range from freelance designers and developers to small NGOs and remote teams.",
    "Natural light, plants and a calm atmosphere make long working days easier.",
    "Hot desks are first come, first served; dedicated desks come with a lockable drawer.",
    "There is a community breakfast every {weekday} morning, open to all members.",
    "The team runs regular workshops on bookkeeping, grant applications and public speaking.",
    "Day-pass visitors are welcome and can book online or simply walk in.",
    "Meeting rooms can be booked by the hour through the members' portal.",
    "A quiet floor is kept free of calls so that people can focus.",
    "Most members live within cycling distance, and many arrive by bike.",
    "The building was renovated recently with better insulation and heat pumps.",
    "Local cafés and a weekly market are only a few minutes' walk away.",
    "Companies can rent a private office for teams of two to twelve people.",
    "Staff are on site during opening hours to help with printing, mail and bookings.",
    "Community managers introduce new members to each other in their first week.",
    "Events include talks, demo days and evening socials once a month.",
    "The terrace is open from spring to autumn and has a few shaded desks.",
    "Accessibility information is listed below; contact the team if you need anything else.",
    "Prices include utilities, cleaning and fast internet, with no hidden fees.",
    "Long-term members can register their business address here.",
    "Parents appreciate the flexible hours and the family-friendly policy.",
    "Regular info sessions explain public programmes available to members.",
    "Members get discounts with several partner gyms and cafés in {city}.",
]
BUILDINGS = ["warehouse", "printing house", "school", "bank branch", "department store",
             "railway depot", "textile mill", "post office", "townhouse", "brewery"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


CATEGORY_NAMES = {
    "connectivity": "Connectivity", "office": "Office services", "rooms": "Rooms",
    "food": "Food and drink", "storage": "Storage", "access": "Access",
    "transport": "Getting there", "wellbeing": "Wellbeing", "furniture": "Furniture",
    "building": "Building", "community": "Community",
}
TOPICS = ["eligibility", "forms", "funding", "grants", "hiring", "taxes", "exporting",
          "remote work", "digital skills", "bookkeeping", "permits", "mentoring"]
STATUS = [("active", 0.94), ("temporarily-closed", 0.04), ("closed", 0.02)]


def slugify(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def q(v):
    """A YAML scalar: JSON strings are valid double-quoted YAML."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(v, ensure_ascii=False)


def osm_hours(rng, amenities):
    if "access-24-7" in amenities and rng.random() < 0.6:
        return "24/7"
    start = rng.choice(["07:00", "07:30", "08:00", "08:30", "09:00"])
    end = rng.choice(["18:00", "19:00", "20:00", "21:00", "22:00"])
    rules = [f"Mo-Fr {start}-{end}"]
    sat, sun = rng.random() >= 0.6, rng.random() >= 0.6
    if sat and sun:
        rules.append("Sa,Su 10:00-16:00")
    elif sat:
        rules.append("Sa 10:00-16:00")
    elif sun:
        rules.append("Su 10:00-16:00")
    r = rng.random()
    if r < 0.3:
        rules.append("PH off")
    elif r < 0.35:
        rules.append("Dec 24-Jan 01 off")
    return "; ".join(rules)


def make_space(seed, index):
    rng = random.Random(f"{seed}:{index}")
    city, region, country, cc, lat, lon, currency, langs = rng.choice(CITIES)
    district = rng.choice(DISTRICTS)
    name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if rng.random() < 0.4:
        name += f" {district}"
    capacity = rng.randrange(12, 400)
    amenities = [a[0] for a in AMENITIES if rng.random() < a[3]] or ["wifi"]
    tiers = [t for t in PRICE_TIERS if rng.random() < 0.7] or [PRICE_TIERS[0]]
    plans = []
    for tier, label, period, lo, hi in tiers:
        amount = rng.uniform(lo, hi) * FX[currency]
        step = 10 ** max(0, len(str(int(amount))) - 2)  # two significant digits
        amount = int(round(amount / step) * step) or step
        if period == "hour":  # hotdesk has no hourly period: price a day of the room
            period, amount, label = "day", amount * 8, "Meeting room (day)"
        plans.append({"name": label, "price": amount, "currency": currency, "period": period})
    hours = osm_hours(rng, amenities)
    wheelchair = rng.random() < 0.65
    access = {
        "step_free": wheelchair or rng.random() < 0.2,
        "accessible_washroom": wheelchair and rng.random() < 0.8,
        "hearing_loop": rng.random() < 0.15,
        "quiet_room": "quiet-zone" in amenities,
    }
    if rng.random() < 0.3:
        access["notes"] = rng.choice([
            "Lift to all floors; the terrace has one step.",
            "Ramp at the side entrance on the courtyard.",
            "Quiet room available for neurodivergent members on request.",
            "Guide dogs welcome; tactile markings on the stairs.",
        ])
    status = rng.choices([s for s, _ in STATUS], [w for _, w in STATUS])[0]
    space = {
        "name": name, "city": city, "region": region, "country": cc, "district": district,
        "lat": round(lat + rng.uniform(-0.06, 0.06), 5),
        "lon": round(lon + rng.uniform(-0.06, 0.06), 5),
        "street": f"{rng.randrange(1, 240)} {rng.choice(STREETS)}",
        "postal_code": f"{rng.randrange(1000, 99999):05d}",
        "capacity": capacity, "opened": rng.randrange(2008, 2026), "amenities": amenities,
        "plans": plans, "hours": hours, "access": access,
        "languages": langs[:] if rng.random() < 0.7 else langs[:1],
        "updated": f"2026-{rng.randrange(1, 6):02d}-{rng.randrange(1, 29):02d}",
        "status": status,
        "tagline": f"{rng.choice(['Friendly', 'Bright', 'Quiet', 'Central', 'Community-run', 'Flexible'])} "
                   f"coworking in {district}, {city}",
        "drop_in": rng.random() < 0.7,
    }
    space["programme"] = rng.choice(range(len(PROGRAMMES))) if rng.random() < 0.25 else None
    sessions = []
    if space["programme"] is not None:
        programme = PROGRAMMES[space["programme"]][0]
        for _ in range(rng.randrange(0, 4)):
            sessions.append({
                "title": rng.choice(SESSION_TITLES).format(programme=programme),
                "date": f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                "time": rng.choice(["10:00", "12:30", "17:00", "18:00"]),
                "topics": rng.sample(TOPICS, rng.randrange(1, 4)),
                "language": space["languages"][0],
            })
    if status == "closed":
        sessions = []
    space["sessions"] = sessions
    space["body"] = make_body(rng, space, district)
    return space


def make_body(rng, s, district):
    target = rng.randrange(150, 401)
    fill = {"name": s["name"], "city": s["city"], "district": district, "year": s["opened"],
            "capacity": s["capacity"], "floors": rng.randrange(2, 6),
            "building": rng.choice(BUILDINGS), "weekday": rng.choice(WEEKDAYS)}
    about = [SENTENCES[0].format(**fill)]
    included = rng.sample(s["amenities"], min(len(s["amenities"]), rng.randrange(3, 7)))
    web = f"https://{slugify(s['name'])}.example.com/"
    tail = ["## Getting there", "",
            f"The space is at {s['street']} in {district}. See the "
            f"[public transport map](https://transit.example.org/{slugify(s['city'])}) for routes, "
            f"or [book a tour]({web}tour) before your first visit."]
    words = lambda parts: sum(len(p.split()) for p in parts)
    pool = SENTENCES[1:]
    rng.shuffle(pool)
    while words(about) + 8 * len(included) + words(tail) < target and pool:
        about.append(pool.pop().format(**fill))
    paragraphs = []
    for i in range(0, len(about), 4):
        paragraphs += [" ".join(about[i:i + 4]), ""]
    lines = [f"## About {s['name']}", ""] + paragraphs + ["## What's included", ""]
    for a in included:
        lines.append(f"- **{AMENITY_LABEL[a]}**: {rng.choice(['for all members', 'included in every plan', 'on request', 'bookable online', 'at no extra cost'])}")
    lines.append("")
    if s["programme"] is not None:
        lines += ["## Public programmes", "",
                  f"This space takes part in *{PROGRAMMES[s['programme']][0]}*.", ""]
    lines += tail
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- writers

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def space_file(slug, s):
    a = s["access"]
    out = ["---", f"name: {q(s['name'])}", f"region: {slugify(s['city'])}", f"status: {s['status']}",
           f"summary: {q(s['tagline'])}", "address:", f"  street: {q(s['street'])}",
           f"  locality: {q(s['district'] + ', ' + s['city'])}", f"  region: {q(s['region'])}",
           f"  postal_code: {q(s['postal_code'])}", f"  country: {s['country']}",
           f"location: {{ lat: {s['lat']}, lon: {s['lon']} }}",
           f"website: https://{slug}.example.com/", f"email: hello@{slug}.example.com",
           f"opening_hours: {q(s['hours'])}",
           f"amenities: [{', '.join(s['amenities'])}]", "plans:"]
    for p in s["plans"]:
        out.append(f"  - {{ name: {q(p['name'])}, price: {p['price']}, currency: {p['currency']}, period: {p['period']} }}")
    out += [f"capacity: {s['capacity']}", f"languages: [{', '.join(s['languages'])}]", "accessibility:"]
    for k in ("step_free", "accessible_washroom", "hearing_loop", "quiet_room"):
        out.append(f"  {k}: {q(a[k])}")
    if "notes" in a:
        out.append(f"  notes: {q(a['notes'])}")
    out += [f"government_members_welcome: {q(s['programme'] is not None)}",
            f"drop_in: {q(s['drop_in'])}", f"last_verified: \"{s['updated']}\"", "---", s["body"]]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10000, help="number of spaces")
    ap.add_argument("--seed", default="hotdesk-bench")
    ap.add_argument("--out", required=True, help="site root to create (replaced if it exists)")
    args = ap.parse_args()
    content = os.path.join(args.out, "content")
    if os.path.exists(content):
        shutil.rmtree(content)

    write(os.path.join(content, "site.yaml"),
          "title: Benchmark Directory\ndescription: A generated directory for benchmarks.\n"
          "base_url: https://bench.example.org/\nlanguage: en\ntime_zone: Europe/Berlin\n")
    cats = sorted({a[2] for a in AMENITIES})
    lines = ["categories:"] + [f"  - id: {c}\n    name: {CATEGORY_NAMES[c]}" for c in cats]
    lines.append("amenities:")
    for aid, label, cat, _ in AMENITIES:
        lines.append(f"  - id: {aid}\n    name: {q(label)}\n    description: {q(label + '.')}\n    category: {cat}")
    write(os.path.join(content, "amenities.yaml"), "\n".join(lines) + "\n")
    seen = set()
    lines = ["regions:"]
    for c in CITIES:
        rid = slugify(c[0])
        if rid not in seen:
            seen.add(rid)
            lines.append(f"  - id: {rid}\n    name: {q(c[0])}\n    kind: urban")
    write(os.path.join(content, "regions.yaml"), "\n".join(lines) + "\n")

    members = [[] for _ in PROGRAMMES]
    width = len(str(args.n))
    for i in range(args.n):
        s = make_space(args.seed, i)
        slug = f"{slugify(s['name'])}-{i:0{width}d}"
        write(os.path.join(content, "spaces", slug + ".md"), space_file(slug, s))
        if s["programme"] is not None and s["status"] != "closed":
            members[s["programme"]].append(slug)
        for k, ses in enumerate(s["sessions"]):
            h, m = map(int, ses["time"].split(":"))
            end = f"{h + 1:02d}:{m:02d}"
            write(os.path.join(content, "sessions", f"{slug}-{k}.md"), "\n".join([
                "---", f"title: {q(ses['title'])}", f"start: \"{ses['date']}T{ses['time']}\"",
                f"end: \"{ses['date']}T{end}\"", f"space: {slug}",
                f"partnership: programme-{s['programme'] + 1}",
                "host: { body: Economic Development Office, role: Programme officer }",
                f"topics: [{', '.join(q(t) for t in ses['topics'])}]",
                f"language: {ses['language']}", "status: scheduled", "---",
                "What the session covers.", ""]))
    for p, (programme, kind) in enumerate(PROGRAMMES):
        write(os.path.join(content, "partnerships", f"programme-{p + 1}.md"), "\n".join([
            "---", f"name: {q(programme)}",
            "government: { name: National Digital Agency, level: federal }",
            "jurisdiction: Europe", "kinds: [memberships]", "status: active",
            "start: \"2025-01-01\"", f"spaces: [{', '.join(members[p])}]" if members[p]
            else "open_to_all_eligible: true\neligibility: Public servants.",
            "funding: none", "contact: { name: Programme office, email: office@example.org }",
            "---", f"{programme}: {kind}.", ""]))


if __name__ == "__main__":
    main()
