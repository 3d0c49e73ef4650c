"""Which sections an account's pack prints, in order and under which titles, and
whether its contents list earns a page of its own.

The internal pack prints every section and says what is missing ("No scorecard yet."),
which is worth knowing before a review. The customer's pack is handed across the table:
a section with nothing to show is left out, never printed empty ("Projects delivered
0", "No completed projects recorded yet").
"""

from dataclasses import dataclass

# A contents list shorter than this goes on the cover rather than on a page of its own.
CONTENTS_PAGE_FROM = 8


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


INTERNAL_SECTIONS = (
    Section("summary", "Executive summary"),
    Section("tier", "Tier and servicing model"),
    Section("financials", "Financials"),
    Section("goals", "Account plan"),
    Section("scorecard", "Scorecard"),
    Section("health", "Account health"),
    Section("voice", "Voice of the customer"),
    Section("relationships", "Relationships"),
    Section("pipeline", "Pipeline"),
    Section("whitespace", "Whitespace"),
    Section("risks", "Risk register"),
    Section("alerts", "Open alerts"),
    Section("review", "Last review"),
    Section("coaching", "Coaching comments"),
)
CUSTOMER_SECTIONS = (
    Section("summary", "Where we stand together"),
    Section("goals", "Mutual goals"),
    Section("scorecard", "Joint scorecard"),
    Section("value", "Value delivered"),
    Section("review", "Last review and agreed actions"),
    Section("roadmap", "Roadmap"),
)


def _customer_has(context: dict) -> dict[str, bool]:
    """Which of the customer's sections have something to show."""
    tree = context["tree"]
    return {
        "summary": bool(context["lines"] or context["won"] or context["open_count"]),
        "goals": bool(context["customer_goals"] or (tree and tree.goals)),
        "scorecard": bool(context["lines"]),
        "value": bool(context["won"]),
        "review": context["last_review"] is not None,
        "roadmap": True,  # the next review's date, or that we will propose one
    }


def pack_sections(context: dict) -> list[Section]:
    """The sections the pack gathered in `context` prints, in order."""
    if context["internal"]:
        return list(INTERNAL_SECTIONS)
    has = _customer_has(context)
    return [section for section in CUSTOMER_SECTIONS if has[section.anchor]]


def contents(context: dict) -> dict:
    """What the template needs to lay the pack out: the sections in order, each one's
    title by anchor (`shows.value` is false for a section left out), and whether the
    contents list takes a page of its own or a few lines on the cover."""
    sections = pack_sections(context)
    return {
        "sections": sections,
        "shows": {section.anchor: section.title for section in sections},
        "contents_page": len(sections) >= CONTENTS_PAGE_FROM,
    }
