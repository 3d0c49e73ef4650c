"""The metric library seeded by the first migration (and again by ensure_defaults()
where the table was emptied): a balanced set across the four perspectives, leading and
lagging, joint (agreed with the customer) and internal."""

from core.money import currency_label

# The unit of a money metric: the organisation's currency when the library is seeded
# (settings.STRATA_CURRENCY: "€", "$", "CHF"…).
MONEY = "<currency>"


def seeded_unit(unit: str) -> str:
    return currency_label() if unit == MONEY else unit


# name, description, unit, perspective, kind, higher is better, joint
METRICS = [
    (
        "Revenue",
        "Our revenue with the account in the period.",
        MONEY,
        "financial",
        "lagging",
        True,
        True,
    ),
    (
        "Share of wallet",
        "Our revenue as a share of their spend in our category.",
        "%",
        "financial",
        "lagging",
        True,
        False,
    ),
    (
        "Gross margin",
        "Gross margin on the account's business.",
        "%",
        "financial",
        "lagging",
        True,
        False,
    ),
    (
        "On-time delivery",
        "Orders delivered on the agreed date.",
        "%",
        "internal_process",
        "lagging",
        True,
        True,
    ),
    (
        "Open escalations",
        "Customer escalations still open at the end of the period.",
        "count",
        "customer",
        "leading",
        False,
        True,
    ),
    (
        "Customer survey score",
        "Mean answer of the customer's latest survey, 1 to 5.",
        "score",
        "customer",
        "lagging",
        True,
        True,
    ),
    (
        "Net Promoter Score",
        "Promoters minus detractors among the customer's contacts.",
        "NPS",
        "customer",
        "lagging",
        True,
        True,
    ),
    (
        "Executive meetings held",
        "Meetings with the customer's executives in the period.",
        "count",
        "customer",
        "leading",
        True,
        False,
    ),
    (
        "Plan tactics on time",
        "Share of the plan's tactics due in the period done by their date.",
        "%",
        "internal_process",
        "leading",
        True,
        False,
    ),
    (
        "Quality incidents",
        "Quality complaints raised in the period.",
        "count",
        "internal_process",
        "leading",
        False,
        True,
    ),
    (
        "Service response time",
        "Average hours to answer a service request.",
        "hours",
        "internal_process",
        "leading",
        False,
        True,
    ),
    (
        "Joint innovation projects",
        "Projects run together with the customer.",
        "count",
        "learning_growth",
        "leading",
        True,
        True,
    ),
    (
        "Team training hours",
        "Hours of training on the customer's industry and processes.",
        "hours",
        "learning_growth",
        "leading",
        True,
        False,
    ),
]

# The seeded metrics whose values may fall below zero (the others refuse a negative
# target or actual).
MAY_BE_NEGATIVE = frozenset({"Net Promoter Score"})

SURVEY_NAME = "Relationship 360°"
SURVEY_INTRODUCTION = (
    "How are we doing as your supplier? Your honest answers take two minutes and help us "
    "serve you better. 1 means poor, 5 means excellent."
)
# name, question
SURVEY_DIMENSIONS = [
    ("Trust", "We can rely on what they tell us and on what they promise."),
    ("Commitment", "They are committed to our success, not only to the next order."),
    ("Responsiveness", "They answer our requests quickly and follow through."),
    ("Value delivered", "Working with them brings us measurable value."),
    ("Quality", "Their products and services meet our quality requirements."),
    ("Ease of doing business", "Ordering, invoicing and support are simple."),
]
