"""What the demo's people write and say (`seed_demo`): interaction subjects and notes,
the reasons behind a strategic value, the team roles of specialists, and the account
plans' texts. Fictional, like the names (`demo.names`)."""

from accounts_app.models import Interaction, TeamMember

K = Interaction.Kind
INTERACTION_KIND_WEIGHTS = {K.MEETING: 35, K.CALL: 30, K.EMAIL: 25, K.EVENT: 10}

INTERACTION_SUBJECTS = {
    K.MEETING: [
        "Quarterly business review",
        "Account planning workshop",
        "Site visit: {unit}",
        "Contract renewal negotiation",
        "Executive sponsor meeting",
        "Joint roadmap session",
        "Supplier performance review",
        "Cost-down ideas for {unit}",
    ],
    K.CALL: [
        "Pricing follow-up",
        "Delivery escalation call",
        "Forecast alignment call",
        "Check-in on open quote",
        "Service incident debrief",
        "Budget planning call",
        "Onboarding call for {unit}",
    ],
    K.EMAIL: [
        "Proposal sent for {unit}",
        "Updated price list",
        "Meeting recap and next steps",
        "Case study shared",
        "Renewal terms",
        "Invitation to the customer advisory board",
    ],
    K.EVENT: [
        "Customer advisory board",
        "Industry trade fair",
        "Innovation day at our lab",
        "Partner summit dinner",
        "Webinar: cost-down programmes",
    ],
}

INTERACTION_NOTES = [
    "Agreed next steps; follow-up within two weeks.",
    "Positive reception. They want a written proposal before the budget round.",
    "Raised concerns about lead times; we promised a recovery plan.",
    "Introduced our new service tier; interest from operations.",
    "They are evaluating a competitor for the next contract period.",
    "Shared the joint scorecard; targets for next quarter discussed.",
    "Good rapport. Asked for references in their industry.",
    "",
]

STRATEGIC_REASONS = {
    1: "Small spend, no growth plans in our category.",
    2: "Steady buyer with limited potential beyond the current scope.",
    3: "Solid account with growth potential in adjacent business units.",
    4: "Large wallet and open to a broader partnership; reference value in its industry.",
    5: "Flagship account: strategic partnership, multi-year roadmap and executive ties.",
}

T = TeamMember.Role
# Team roles a non-owner team member plays, by the kind of job they do.
SPECIALIST_ROLES = {"technical": T.TECHNICAL, "service": T.SERVICE, "finance": T.FINANCE}


# --- Account plans ---------------------------------------------------------------------

PLAN_OVERVIEWS = [
    "{account} buys from us in two divisions and is consolidating suppliers this year. "
    "We aim to become its preferred partner for services, not only products.",
    "{account} is growing fast in new regions. Our plan is to follow that growth with a "
    "dedicated team and to widen our relationships beyond procurement.",
    "Margins at {account} are under pressure. We help them cut total cost of ownership "
    "and protect our share of wallet through a multi-year agreement.",
    "{account} is modernising its operations. We want to be part of that programme from "
    "the design phase, with an executive sponsor on both sides.",
]

KNOWLEDGE_POINTS = [
    ("goal", "Reduce operating costs by 8 % within two years"),
    ("goal", "Expand into two new markets by the end of the fiscal year"),
    ("goal", "Reach net-zero emissions in its own operations by 2030"),
    ("initiative", "Supplier consolidation programme led by the CPO"),
    ("initiative", "ERP replacement starting next quarter"),
    ("initiative", "New customer-service centre opening in the spring"),
    ("challenge", "Shortage of skilled maintenance staff"),
    ("challenge", "Rising energy prices squeeze margins"),
    ("challenge", "Long approval cycles for capital spending"),
]

SWOT_ITEMS = [
    ("strength", "Trusted delivery record over five years"),
    ("strength", "Local service team within two hours of every site"),
    ("weakness", "No relationship with the new CFO"),
    ("weakness", "Our pricing is above two main competitors"),
    ("opportunity", "Service contracts for the installed base"),
    ("opportunity", "Joint sustainability reporting"),
    ("threat", "A low-cost competitor bidding for the framework agreement"),
    ("threat", "Budget freeze announced for the second half"),
]

PLAN_GOALS = [
    (
        "Grow services revenue by 20 %",
        [
            (
                "Sell a multi-year service agreement",
                ["Run a service-needs workshop", "Send a proposal with three options"],
            ),
            (
                "Cover the installed base",
                ["Audit the installed equipment", "Offer a preventive-maintenance pilot"],
            ),
        ],
    ),
    (
        "Win the supplier-consolidation tender",
        [
            (
                "Reach the decision makers early",
                ["Meet the CPO with our sales director", "Map the evaluation committee"],
            ),
            ("Prove total cost of ownership", ["Build a TCO model with their finance team"]),
        ],
    ),
    (
        "Become the sustainability partner",
        [
            (
                "Bring data to their reporting",
                ["Share our product carbon footprints", "Propose joint targets"],
            ),
        ],
    ),
]
