"""Name lists shared by `seed_demo` and `seed_bench`: companies, business units, people,
job titles, and how buying roles and attitudes are spread. Every company is fictional;
web and e-mail domains use the reserved `.example` top-level domain."""

from accounts_app.models import Contact, DefaultIndustry, DefaultRegion

# Codes of the lists a fresh installation starts with; short aliases keep the tables
# below readable.
I = DefaultIndustry  # noqa: E741
R = DefaultRegion

# Global groups: (parent name, industry, region, [(subsidiary, industry, region), ...]).
DEMO_GROUPS = [
    (
        "Halvorsen Group",
        I.MANUFACTURING,
        R.WESTERN_EUROPE,
        [
            ("Halvorsen Marine Systems", I.MANUFACTURING, R.CENTRAL_EUROPE),
            ("Halvorsen Industrial Services", I.MANUFACTURING, R.NORTH_AMERICA),
            ("Halvorsen Pumps Asia", I.MANUFACTURING, R.ASIA_PACIFIC),
        ],
    ),
    (
        "Meridian Health Partners",
        I.HEALTHCARE,
        R.NORTH_AMERICA,
        [
            ("Meridian Clinics UK", I.HEALTHCARE, R.WESTERN_EUROPE),
            ("Meridian Diagnostics", I.HEALTHCARE, R.NORTH_AMERICA),
        ],
    ),
    (
        "Corvane Holdings",
        I.FINANCIAL,
        R.WESTERN_EUROPE,
        [
            ("Corvane Bank Polska", I.FINANCIAL, R.CENTRAL_EUROPE),
            ("Corvane Insurance Iberia", I.FINANCIAL, R.WESTERN_EUROPE),
            ("Corvane Capital Gulf", I.FINANCIAL, R.MIDDLE_EAST_AFRICA),
        ],
    ),
    (
        "Tavira Retail Group",
        I.RETAIL,
        R.LATIN_AMERICA,
        [
            ("Tavira Supermercados", I.RETAIL, R.LATIN_AMERICA),
            ("Tavira Home & Garden", I.RETAIL, R.LATIN_AMERICA),
            ("Tavira Online", I.TECHNOLOGY, R.LATIN_AMERICA),
        ],
    ),
]

DEMO_STANDALONE = [
    ("Brennick Tooling", I.MANUFACTURING, R.NORTH_AMERICA),
    ("Oskarsson Steelworks", I.MANUFACTURING, R.WESTERN_EUROPE),
    ("Pellham Precision Castings", I.MANUFACTURING, R.NORTH_AMERICA),
    ("Vintner & Hale Packaging", I.MANUFACTURING, R.WESTERN_EUROPE),
    ("Saint Aldric Hospital Network", I.HEALTHCARE, R.WESTERN_EUROPE),
    ("Clearbrook Medical Devices", I.HEALTHCARE, R.NORTH_AMERICA),
    ("Larkspur Care Homes", I.HEALTHCARE, R.WESTERN_EUROPE),
    ("Northmere Building Society", I.FINANCIAL, R.WESTERN_EUROPE),
    ("Quillon Reinsurance", I.FINANCIAL, R.CENTRAL_EUROPE),
    ("Baystone Credit Union", I.FINANCIAL, R.NORTH_AMERICA),
    ("Fennel & Finch Grocers", I.RETAIL, R.WESTERN_EUROPE),
    ("Outpost Outfitters", I.RETAIL, R.NORTH_AMERICA),
    ("Mirabel Department Stores", I.RETAIL, R.MIDDLE_EAST_AFRICA),
    ("Solenne Renewables", I.ENERGY, R.WESTERN_EUROPE),
    ("Karoo Power Utilities", I.ENERGY, R.MIDDLE_EAST_AFRICA),
    ("Grayridge Gas Distribution", I.ENERGY, R.NORTH_AMERICA),
    ("Tindra Wind", I.ENERGY, R.WESTERN_EUROPE),
    ("Pampas Energía Norte", I.ENERGY, R.LATIN_AMERICA),
    ("Lumenfold Software", I.TECHNOLOGY, R.NORTH_AMERICA),
    ("Arclight Data Centres", I.TECHNOLOGY, R.WESTERN_EUROPE),
    ("Zenithra Semiconductors", I.TECHNOLOGY, R.ASIA_PACIFIC),
    ("Cobaltline Systems", I.TECHNOLOGY, R.ASIA_PACIFIC),
    ("Vireo Telecom", I.TELECOM, R.CENTRAL_EUROPE),
    ("Skyreach Mobile", I.TELECOM, R.ASIA_PACIFIC),
    ("Altavia Fibre", I.TELECOM, R.LATIN_AMERICA),
    ("Kestrel Freight Lines", I.LOGISTICS, R.NORTH_AMERICA),
    ("Portavel Shipping", I.LOGISTICS, R.WESTERN_EUROPE),
    ("Danube Cold Chain", I.LOGISTICS, R.CENTRAL_EUROPE),
    ("Sahel Cargo Connect", I.LOGISTICS, R.MIDDLE_EAST_AFRICA),
    ("City of Westbridge", I.PUBLIC, R.WESTERN_EUROPE),
    ("Northern Valley Water Authority", I.PUBLIC, R.NORTH_AMERICA),
    ("Moravian Regional Transport Authority", I.PUBLIC, R.CENTRAL_EUROPE),
    ("Harbourside District Council", I.PUBLIC, R.ASIA_PACIFIC),
    ("Velmora Therapeutics", I.PHARMA, R.WESTERN_EUROPE),
    ("Quintara Biologics", I.PHARMA, R.NORTH_AMERICA),
    ("Ishimori Biopharma", I.PHARMA, R.ASIA_PACIFIC),
    ("Andes Generics", I.PHARMA, R.LATIN_AMERICA),
    ("Bramblewood Beverages", I.CONSUMER, R.WESTERN_EUROPE),
    ("Coralie Cosmetics", I.CONSUMER, R.WESTERN_EUROPE),
    ("Tundra Outdoor Brands", I.CONSUMER, R.NORTH_AMERICA),
    ("Marisol Snacks", I.CONSUMER, R.LATIN_AMERICA),
    ("Greyfriars University", I.OTHER, R.WESTERN_EUROPE),
    ("Ostberg Facility Services", I.OTHER, R.CENTRAL_EUROPE),
    ("Cinder Peak Mining", I.OTHER, R.ASIA_PACIFIC),
    ("Al Nuri Construction", I.OTHER, R.MIDDLE_EAST_AFRICA),
]

GENERIC_UNITS = ["Corporate Procurement", "Shared Services", "Finance & Administration"]

BUSINESS_UNITS = {
    I.MANUFACTURING: [
        "Industrial Components",
        "Aftermarket Services",
        "Automation Solutions",
        "Castings & Forgings",
        "Plant Operations",
        "Engineering & R&D",
    ],
    I.HEALTHCARE: [
        "Acute Care",
        "Outpatient Clinics",
        "Laboratory Services",
        "Facilities Management",
        "Clinical Engineering",
        "Digital Health",
    ],
    I.FINANCIAL: [
        "Retail Banking",
        "Commercial Lending",
        "Wealth Management",
        "Group IT",
        "Operations & Payments",
        "Risk & Compliance",
    ],
    I.RETAIL: [
        "Store Operations",
        "E-commerce",
        "Distribution Centres",
        "Merchandising",
        "Private Label",
        "Customer Service",
    ],
    I.ENERGY: [
        "Generation",
        "Transmission & Distribution",
        "Field Services",
        "Trading",
        "Asset Management",
        "Customer Operations",
    ],
    I.TECHNOLOGY: [
        "Cloud Platform",
        "Hardware Engineering",
        "Professional Services",
        "Data Centre Operations",
        "Product Development",
        "Customer Success",
    ],
    I.TELECOM: [
        "Mobile Network",
        "Fixed Broadband",
        "Enterprise Solutions",
        "Network Operations",
        "Consumer Sales",
        "Field Engineering",
    ],
    I.LOGISTICS: [
        "Road Freight",
        "Warehousing",
        "Ocean & Air Forwarding",
        "Fleet Maintenance",
        "Contract Logistics",
        "Cold Chain",
    ],
    I.PUBLIC: [
        "Public Works",
        "Transport Services",
        "Digital Services",
        "Estates & Facilities",
        "Social Care",
        "Environmental Services",
    ],
    I.PHARMA: [
        "Research & Development",
        "Manufacturing Operations",
        "Clinical Trials",
        "Quality Assurance",
        "Commercial Operations",
        "Supply Chain",
    ],
    I.CONSUMER: [
        "Brand Marketing",
        "Manufacturing",
        "Supply Chain",
        "Packaging Development",
        "Sales & Distribution",
        "Innovation Centre",
    ],
    I.OTHER: [
        "Operations",
        "Project Delivery",
        "Estates",
        "Equipment & Fleet",
        "Health & Safety",
        "Technology Services",
    ],
}

FIRST_NAMES = [
    "Aisha", "Anders", "Ana", "Ben", "Camille", "Carlos", "Chen", "Chloe", "Daniel",
    "Dmitri", "Elena", "Emeka", "Emma", "Farah", "Felix", "Gabriela", "Grace", "Hannah",
    "Hiroshi", "Ines", "Isabel", "Jakub", "James", "Jana", "Javier", "Julia", "Kai",
    "Karin", "Kwame", "Laura", "Leila", "Liam", "Lucia", "Magnus", "Maria", "Mateo",
    "Mei", "Michael", "Nadia", "Naveen", "Nina", "Noah", "Olga", "Omar", "Paula",
    "Pedro", "Priya", "Rafael", "Rania", "Rosa", "Samuel", "Sara", "Sebastian", "Sofia",
    "Sven", "Tariq", "Thomas", "Tomasz", "Valentina", "Victor", "Yara", "Yusuf", "Zoe",
]  # fmt: skip

LAST_NAMES = [
    "Abernathy", "Adeyemi", "Almeida", "Andersson", "Bauer", "Becker", "Brennan",
    "Castillo", "Chowdhury", "Costa", "Dalton", "Dubois", "Eriksen", "Fischer", "Fonseca",
    "Garrido", "Gupta", "Haddad", "Hansen", "Hartmann", "Ibrahim", "Ivanova", "Jansen",
    "Kaminski", "Kapoor", "Keller", "Kowalczyk", "Lambert", "Larsen", "Lindgren", "Lopez",
    "Mahlangu", "Marchetti", "Mendes", "Moreno", "Murphy", "Nakamura", "Novak", "Okafor",
    "Olsen", "Ortega", "Park", "Petrov", "Quinn", "Ramirez", "Reyes", "Rossi", "Sandberg",
    "Santos", "Schneider", "Silva", "Sokolov", "Suzuki", "Takahashi", "Tan", "Vargas",
    "Veldman", "Walsh", "Weber", "Wright", "Yilmaz", "Zhang", "Zielinski",
]  # fmt: skip

L = Contact.Level
CONTACT_TITLES = {
    L.EXECUTIVE: [
        "Chief Executive Officer",
        "Chief Financial Officer",
        "Chief Operating Officer",
        "Chief Procurement Officer",
        "Chief Information Officer",
        "Chief Technology Officer",
        "Chief Supply Chain Officer",
    ],
    L.SENIOR: [
        "VP Procurement",
        "VP Operations",
        "VP Supply Chain",
        "Director of IT Infrastructure",
        "Head of Engineering",
        "Finance Director",
        "Head of Quality",
        "Director of Facilities",
        "Head of Digital Transformation",
    ],
    L.MIDDLE: [
        "Category Manager",
        "Procurement Manager",
        "IT Manager",
        "Plant Manager",
        "Logistics Manager",
        "Project Manager",
        "Quality Manager",
        "Financial Controller",
        "Maintenance Manager",
        "Programme Manager",
    ],
    L.OPERATIONAL: [
        "Buyer",
        "Purchasing Coordinator",
        "Maintenance Engineer",
        "Systems Administrator",
        "Warehouse Supervisor",
        "Accounts Payable Specialist",
        "Quality Technician",
        "Production Planner",
        "Service Desk Lead",
        "Field Technician",
    ],
}

B = Contact.BuyingRole
# Buying-role weights by level: executives decide, the operational level uses.
BUYING_ROLE_WEIGHTS = {
    L.EXECUTIVE: {B.DECISION_MAKER: 70, B.RECOMMENDER: 10, B.INFLUENCER: 15, B.NONE: 5},
    L.SENIOR: {B.DECISION_MAKER: 25, B.RECOMMENDER: 40, B.INFLUENCER: 30, B.NONE: 5},
    L.MIDDLE: {B.RECOMMENDER: 25, B.INFLUENCER: 40, B.USER: 25, B.NONE: 10},
    L.OPERATIONAL: {B.INFLUENCER: 15, B.USER: 60, B.NONE: 25},
}

A = Contact.Attitude
ATTITUDE_WEIGHTS = {
    A.CHAMPION: 12,
    A.SUPPORTER: 30,
    A.NEUTRAL: 30,
    A.DETRACTOR: 10,
    A.UNKNOWN: 18,
}
