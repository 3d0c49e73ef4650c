"""What each kind of import takes (its fields), how a file's columns are matched to
them (guessed from the headers, a preset for Salesforce and HubSpot exports, or the
mapping saved for the kind), and which columns are left out."""

import re
from dataclasses import dataclass, field

from .models import Kind, Preset


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    required: bool = False
    help: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)


ACCOUNT_REF = "the account's external id, or its exact name"
USER_REF = "username or e-mail address of a Strata user"

SPECS: dict[str, list[Spec]] = {
    Kind.ACCOUNTS: [
        Spec(
            "external_id",
            "External id",
            help="its id in your CRM: matches rows on re-import",
            aliases=("id", "account id", "crm id"),
        ),
        Spec("name", "Name", True, aliases=("account", "account name", "company", "company name")),
        Spec(
            "parent",
            "Parent",
            help="external id or exact name of the group account",
            aliases=("parent account", "parent id", "parent company"),
        ),
        Spec("industry", "Industry", True, help="a name in your list of industries"),
        Spec(
            "region",
            "Region",
            True,
            help="a name in your list of regions, or a country",
            aliases=("country", "billing country"),
        ),
        Spec("lifecycle_stage", "Lifecycle stage", aliases=("stage", "lifecycle")),
        Spec("annual_revenue", "Annual revenue", aliases=("revenue",)),
        Spec("wallet_estimate", "Wallet estimate", aliases=("wallet",)),
        Spec("gross_margin_pct", "Gross margin %", aliases=("margin", "gross margin")),
        Spec("strategic_value", "Strategic value", help="1 to 5"),
        Spec("strategic_value_reason", "Strategic value reason"),
        Spec("owner", "Owner", help=f"{USER_REF}; new accounts only", aliases=("account owner",)),
        Spec("website", "Website", aliases=("web", "url", "website url")),
        Spec("description", "Description"),
        Spec(
            "business_units",
            "Business units",
            help="names separated by ;",
            aliases=("divisions", "business unit"),
        ),
    ],
    Kind.CONTACTS: [
        Spec("external_id", "External id", aliases=("id", "contact id")),
        Spec(
            "account",
            "Account",
            True,
            help=ACCOUNT_REF,
            aliases=("account id", "account name", "company"),
        ),
        Spec("name", "Name", help="or First name and Last name", aliases=("full name",)),
        Spec("first_name", "First name"),
        Spec("last_name", "Last name", aliases=("surname",)),
        Spec("title", "Title", aliases=("job title", "position")),
        Spec("email", "E-mail", aliases=("email", "email address")),
        Spec("phone", "Phone", aliases=("phone number", "telephone")),
        Spec(
            "business_unit",
            "Business unit",
            help="a business unit of the contact's account",
            aliases=("department", "division"),
        ),
        Spec(
            "reports_to",
            "Reports to",
            help="external id of another contact",
            aliases=("reports to id", "manager"),
        ),
        Spec("level", "Level"),
        Spec("buying_role", "Buying role", aliases=("role",)),
        Spec("attitude", "Attitude"),
        Spec("notes", "Notes"),
    ],
    Kind.TEAM_MEMBERS: [
        Spec("account", "Account", True, help=ACCOUNT_REF, aliases=("account id",)),
        Spec("user", "User", True, help=USER_REF, aliases=("username", "email", "user email")),
        Spec("role", "Role", True, aliases=("team role", "team member role")),
    ],
    Kind.RELATIONSHIPS: [
        Spec(
            "contact",
            "Contact",
            True,
            help="the contact's external id or e-mail",
            aliases=("contact id", "contact email"),
        ),
        Spec("user", "User", True, help=USER_REF, aliases=("username", "team member")),
        Spec("strength", "Strength", True, help="0 (none) to 4 (trusted)"),
        Spec("target_strength", "Target strength", aliases=("target",)),
    ],
    Kind.OPPORTUNITIES: [
        Spec("external_id", "External id", aliases=("id", "opportunity id", "deal id")),
        Spec("account", "Account", True, help=ACCOUNT_REF, aliases=("account id", "company")),
        Spec("name", "Name", True, aliases=("opportunity name", "opportunity", "deal")),
        Spec("value", "Value", aliases=("amount",)),
        Spec("stage", "Stage", help="a stage name; the first stage when empty"),
        Spec("probability", "Probability %", aliases=("probability",)),
        Spec("close_date", "Close date", help="YYYY-MM-DD"),
        Spec("effort_hours", "Effort (hours)", aliases=("effort",)),
        Spec("gross_margin_pct", "Gross margin %", aliases=("margin",)),
        Spec("customer_annual_benefit", "Customer annual benefit"),
        Spec("customer_investment", "Customer investment"),
        Spec("horizon_years", "Horizon (years)", aliases=("horizon",)),
    ],
    Kind.REVENUE: [
        Spec("account", "Account", True, help=ACCOUNT_REF, aliases=("account id",)),
        Spec("month", "Month", True, help="YYYY-MM", aliases=("period", "date")),
        Spec("amount", "Amount", True, aliases=("revenue", "value")),
    ],
}

PRESETS: dict[str, dict[str, dict[str, str]]] = {
    Preset.SALESFORCE: {
        Kind.ACCOUNTS: {
            "Id": "external_id",
            "Name": "name",
            "ParentId": "parent",
            "Industry": "industry",
            "AnnualRevenue": "annual_revenue",
            "BillingCountry": "region",
            "Website": "website",
            "Description": "description",
        },
        Kind.CONTACTS: {
            "Id": "external_id",
            "AccountId": "account",
            "FirstName": "first_name",
            "LastName": "last_name",
            "Title": "title",
            "Email": "email",
            "Phone": "phone",
            "Department": "business_unit",
            "ReportsToId": "reports_to",
        },
        Kind.TEAM_MEMBERS: {
            "AccountId": "account",
            "User.Email": "user",
            "UserEmail": "user",
            "TeamMemberRole": "role",
        },
        Kind.OPPORTUNITIES: {
            "Id": "external_id",
            "AccountId": "account",
            "Name": "name",
            "Amount": "value",
            "StageName": "stage",
            "Probability": "probability",
            "CloseDate": "close_date",
        },
    },
    Preset.HUBSPOT: {
        Kind.ACCOUNTS: {
            "Record ID": "external_id",
            "Company name": "name",
            "Industry": "industry",
            "Annual Revenue": "annual_revenue",
            "Country/Region": "region",
            "Parent Company ID": "parent",
            "Website URL": "website",
            "Description": "description",
        },
        Kind.CONTACTS: {
            "Record ID": "external_id",
            "Associated Company ID": "account",
            "Associated Company IDs": "account",
            "Company ID": "account",
            "First Name": "first_name",
            "Last Name": "last_name",
            "Job Title": "title",
            "Email": "email",
            "Phone Number": "phone",
        },
        Kind.OPPORTUNITIES: {
            "Record ID": "external_id",
            "Deal Name": "name",
            "Amount": "value",
            "Deal Stage": "stage",
            "Close Date": "close_date",
            "Associated Company ID": "account",
            "Associated Company IDs": "account",
        },
    },
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9%]+", "", str(text).casefold())


def field_names(kind: str) -> list[str]:
    return [spec.name for spec in SPECS[kind]]


def guess_mapping(
    headers: list[str], kind: str, *, preset: str = "", saved: dict | None = None
) -> dict[str, str]:
    """{header: field} for the headers a field is found for: the saved mapping first,
    then the preset, then the field's name, label or a known alias. Each field once."""
    by_key: dict[str, str] = {}
    for spec in SPECS[kind]:
        for word in (spec.name, spec.label, *spec.aliases):
            by_key.setdefault(_key(word), spec.name)
    preset_map = {_key(h): f for h, f in PRESETS.get(preset, {}).get(kind, {}).items()}
    saved_map = {_key(h): f for h, f in (saved or {}).items() if f in field_names(kind)}
    mapping: dict[str, str] = {}
    for source in (saved_map, preset_map, by_key):
        for header in headers:
            if header in mapping:
                continue
            target = source.get(_key(header))
            if target and target not in mapping.values():
                mapping[header] = target
    return mapping


def check_mapping(
    headers: list[str], kind: str, mapping: dict
) -> tuple[dict, list[str], list[str]]:
    """The usable mapping, the ignored columns and the problems (field twice, a required
    field missing, an unknown field or column)."""
    problems = []
    known = set(field_names(kind))
    used: dict[str, str] = {}
    clean: dict[str, str] = {}
    for header, target in mapping.items():
        if not target:
            continue
        if header not in headers:
            problems.append(f"The mapping names a column the file does not have: “{header}”.")
            continue
        if target not in known:
            problems.append(f"“{target}” is not a field of a {kind} import.")
            continue
        if target in used:
            problems.append(
                f"Two columns go to the same field {target}: “{used[target]}” and “{header}”."
            )
            continue
        used[target] = header
        clean[header] = target
    targets = set(clean.values())
    for spec in SPECS[kind]:
        if not spec.required or spec.name in targets:
            continue
        if spec.name == "name" and kind == Kind.CONTACTS:
            continue
        problems.append(f"No column gives the {spec.label.lower()} (a required field).")
    if (
        kind == Kind.CONTACTS
        and "name" not in targets
        and not ({"first_name", "last_name"} & targets)
    ):
        problems.append("No column gives the contact's name (Name, or First name and Last name).")
    ignored = [h for h in headers if h not in clean]
    return clean, ignored, problems
