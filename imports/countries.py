"""A country (name or ISO code, as CRM exports give a billing country) to the code of
the default region it lies in. Used only when the value is not an entry of the regions
list itself, and only if the admins kept that default region."""

_REGIONS = {
    "north_america": "US USA|United States|United States of America|CA Canada|MX Mexico",
    "latin_america": (
        "BR Brazil|AR Argentina|CL Chile|CO Colombia|PE Peru|VE Venezuela|UY Uruguay|"
        "PY Paraguay|BO Bolivia|EC Ecuador|CR Costa Rica|PA Panama|GT Guatemala|"
        "DO Dominican Republic|PR Puerto Rico"
    ),
    "western_europe": (
        "GB UK|United Kingdom|Great Britain|England|Scotland|Wales|IE Ireland|FR France|"
        "DE Germany|Deutschland|NL Netherlands|The Netherlands|Holland|BE Belgium|"
        "LU Luxembourg|CH Switzerland|AT Austria|ES Spain|PT Portugal|IT Italy|DK Denmark|"
        "SE Sweden|NO Norway|FI Finland|IS Iceland|MT Malta|GR Greece|CY Cyprus|MC Monaco"
    ),
    "central_europe": (
        "PL Poland|CZ Czechia|Czech Republic|SK Slovakia|HU Hungary|RO Romania|BG Bulgaria|"
        "SI Slovenia|HR Croatia|RS Serbia|BA Bosnia and Herzegovina|EE Estonia|LV Latvia|"
        "LT Lithuania|UA Ukraine|MD Moldova|AL Albania|MK North Macedonia|ME Montenegro|"
        "TR Turkey|Türkiye|RU Russia"
    ),
    "middle_east_africa": (
        "AE United Arab Emirates|UAE|SA Saudi Arabia|QA Qatar|KW Kuwait|BH Bahrain|OM Oman|"
        "IL Israel|JO Jordan|LB Lebanon|EG Egypt|MA Morocco|TN Tunisia|DZ Algeria|"
        "ZA South Africa|NG Nigeria|KE Kenya|GH Ghana|ET Ethiopia|TZ Tanzania"
    ),
    "asia_pacific": (
        "CN China|JP Japan|KR South Korea|Korea|IN India|SG Singapore|HK Hong Kong|TW Taiwan|"
        "AU Australia|NZ New Zealand|ID Indonesia|MY Malaysia|TH Thailand|VN Vietnam|"
        "PH Philippines|PK Pakistan|BD Bangladesh|LK Sri Lanka"
    ),
}

COUNTRY_REGION: dict[str, str] = {}
for _code, _names in _REGIONS.items():
    for _entry in _names.split("|"):
        _parts = _entry.split(" ", 1)
        if len(_parts[0]) == 2 and _parts[0].isupper():
            COUNTRY_REGION[_parts[0].casefold()] = _code
            _entry = _parts[1] if len(_parts) > 1 else ""
        if _entry:
            COUNTRY_REGION[_entry.casefold()] = _code


def region_code_for_country(value: str) -> str | None:
    return COUNTRY_REGION.get((value or "").strip().casefold())
