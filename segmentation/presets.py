"""The tier presets of DESIGN §3: "Tier I / II / III" (the default) and
"Key / Strategic / Marginal"."""

PRESET_LABELS = {
    "tiers": "Tier I / II / III",
    "key-strategic-marginal": "Key / Strategic / Marginal",
}

PRESETS = {
    "tiers": [
        {
            "name": "Tier I",
            "description": "Significant revenue and/or strategic value",
            "conditions": [("revenue", 80), ("strategic", 75)],
            "plan_required": True,
            "external_review_days": 90,
            "internal_review_days": 30,
            "required_team_roles": ["executive_sponsor"],
            "rpi_target": 70,
            "service_level": "Trusted advisor",
        },
        {
            "name": "Tier II",
            "description": "Potential growth and/or lifetime value",
            "conditions": [("growth", 70), ("lifetime_value", 70)],
            "plan_required": True,
            "external_review_days": 180,
            "internal_review_days": 90,
            "required_team_roles": [],
            "rpi_target": 50,
            "service_level": "Standard",
        },
        {
            "name": "Tier III",
            "description": "The remaining accounts",
            "conditions": [],
            "plan_required": False,
            "external_review_days": 365,
            "internal_review_days": None,
            "required_team_roles": [],
            "rpi_target": None,
            "service_level": "Self-service",
        },
    ],
    "key-strategic-marginal": [
        {
            "name": "Key",
            "description": "The accounts that decide our future",
            "conditions": [("revenue", 85), ("strategic", 75)],
            "plan_required": True,
            "external_review_days": 90,
            "internal_review_days": 30,
            "required_team_roles": ["executive_sponsor"],
            "rpi_target": 75,
            "service_level": "Trusted advisor",
        },
        {
            "name": "Strategic",
            "description": "Growth and lifetime value worth investing in",
            "conditions": [("growth", 70), ("lifetime_value", 70), ("revenue", 60)],
            "plan_required": True,
            "external_review_days": 180,
            "internal_review_days": 60,
            "required_team_roles": [],
            "rpi_target": 50,
            "service_level": "Standard",
        },
        {
            "name": "Marginal",
            "description": "Served efficiently",
            "conditions": [],
            "plan_required": False,
            "external_review_days": None,
            "internal_review_days": None,
            "required_team_roles": [],
            "rpi_target": None,
            "service_level": "Self-service",
        },
    ],
}
