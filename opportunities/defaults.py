"""The defaults seeded by the first migration (and again by ensure_defaults() where a
table was emptied): the pipeline stages and the eight criteria of DESIGN §3."""

STAGES = [
    # name, default probability %, stall after N days, outcome
    ("Prospect", 10, 30, "open"),
    ("Qualify", 20, 30, "open"),
    ("Develop", 40, 45, "open"),
    ("Propose", 60, 30, "open"),
    ("Negotiate", 80, 21, "open"),
    ("Won", 100, None, "won"),
    ("Lost", 0, None, "lost"),
]

CRITERIA = [
    ("Compelling reason to act", "Does the customer have to change something, by a date?"),
    ("Budget identified", "Is money set aside, and do we know how much?"),
    ("Access to the decision maker", "Have we met the person who signs?"),
    ("Decision process and date known", "Who decides, how, and by when?"),
    ("Our solution fits", "Does what we offer solve their problem as they see it?"),
    ("Differentiated against competitors", "Why us rather than the alternatives?"),
    ("Worth winning", "Margin and strategic fit for us."),
    ("A champion supports us", "Someone inside who sells for us when we are not there."),
]
