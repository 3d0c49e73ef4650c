"""The relationship map (Map tab, SVG and PDF downloads), drawn by the real Graphviz."""

import io
import re
import time
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from accounts_app.models import Contact, TeamMember
from accounts_app.relmap import (
    ATTITUDE_FILL,
    WIDE_POINTS,
    RelationshipMapUnavailable,
    relationship_map_svg,
    svg_size_pt,
)
from demo.factories import (
    AccountFactory,
    BusinessUnitFactory,
    ContactFactory,
    RelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """A cache of these tests' own, empty: clearing the shared one (Redis in CI) would
    also flush what Celery keeps there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "relationship-map-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(account, owner, teammate):
    """A small org: a CEO without a unit, two units, a reporting line across them, a
    contact without a manager, a unit nobody is known in, and relationships."""
    plant = BusinessUnitFactory(account=account, name="Plant Operations")
    procurement = BusinessUnitFactory(account=account, name="Procurement")
    BusinessUnitFactory(account=account, name="Finance")  # no contacts yet
    ceo = ContactFactory(
        account=account,
        name="Ingrid Holm",
        title="Chief Executive Officer",
        level=Contact.Level.EXECUTIVE,
        buying_role=Contact.BuyingRole.DECISION_MAKER,
        attitude=Contact.Attitude.CHAMPION,
    )
    cpo = ContactFactory(
        account=account,
        name="Rafael Ortiz",
        title="Chief Procurement Officer",
        business_unit=procurement,
        reports_to=ceo,
        attitude=Contact.Attitude.DETRACTOR,
    )
    plant_head = ContactFactory(
        account=account, name="Pia Lund", business_unit=plant, reports_to=ceo
    )
    buyer = ContactFactory(
        account=account,
        name="Carla Buyer",
        title="Buyer",
        business_unit=procurement,
        reports_to=plant_head,  # across units: she reports into Plant Operations
        level=Contact.Level.OPERATIONAL,
    )
    loner = ContactFactory(
        account=account, name="Otto Einzel", business_unit=plant, reports_to=None
    )
    RelationshipFactory(contact=ceo, user=teammate, strength=3)
    RelationshipFactory(contact=ceo, user=owner, strength=1)
    RelationshipFactory(contact=cpo, user=owner, strength=2)
    return {
        "units": (plant, procurement),
        "ceo": ceo,
        "cpo": cpo,
        "plant_head": plant_head,
        "buyer": buyer,
        "loner": loner,
    }


def _xml(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _group(root: ET.Element, element_id: str) -> ET.Element:
    for group in root.iter(f"{SVG}g"):
        if group.get("id") == element_id:
            return group
    raise AssertionError(f"no <g id={element_id!r}> in the map")


def _texts(element: ET.Element) -> str:
    return " ".join(t.text or "" for t in element.iter(f"{SVG}text"))


# --- What the map shows ---------------------------------------------------------------


def test_map_shows_every_contact_including_those_without_a_manager(account, org):
    svg = relationship_map_svg(account)
    text = _texts(_xml(svg))
    for name in ("Ingrid Holm", "Rafael Ortiz", "Pia Lund", "Carla Buyer", "Otto Einzel"):
        assert name in text
    assert "Chief Procurement Officer" in text
    assert "Executive · Decision maker" in text


def test_map_draws_one_edge_per_reporting_line(account, org):
    svg = relationship_map_svg(account)
    lines = Contact.objects.filter(account=account, reports_to__isnull=False).count()
    assert lines == 3
    assert svg.count('class="edge"') == lines
    root = _xml(svg)
    # The line across units, from Pia (Plant Operations) down to Carla (Procurement).
    edge = _group(root, f"relmap{account.pk}_e{org['plant_head'].pk}_{org['buyer'].pk}")
    assert edge.find(f"{SVG}title").text == "Carla Buyer reports to Pia Lund"


def test_map_draws_one_cluster_per_business_unit(account, org):
    svg = relationship_map_svg(account)
    assert svg.count('class="cluster"') == 3
    text = _texts(_xml(svg))
    for unit in ("Plant Operations", "Procurement", "Finance"):
        assert unit in text
    assert "No contacts yet" in text  # Finance: a unit nobody is known in shows as a gap


def test_contact_shows_attitude_colour_best_strength_and_decision_maker_border(account, org):
    root = _xml(relationship_map_svg(account))
    ceo = _group(root, f"relmap{account.pk}_c{org['ceo'].pk}")
    shapes = ceo.findall(f"{SVG}path")
    assert shapes[0].get("fill") == ATTITUDE_FILL["champion"]
    assert len(shapes) == 2  # a decision maker's double border
    assert "●●●○" in _texts(ceo)  # best of strengths 3 (teammate) and 1 (owner)
    assert "Best relationship: Trusted (3 of 4)" in ceo.find(f"{SVG}title").text

    cpo = _group(root, f"relmap{account.pk}_c{org['cpo'].pk}")
    assert cpo.findall(f"{SVG}path")[0].get("fill") == ATTITUDE_FILL["detractor"]
    assert len(cpo.findall(f"{SVG}path")) == 1
    assert "●●○○" in _texts(cpo)
    assert "○○○○" in _texts(_group(root, f"relmap{account.pk}_c{org['buyer'].pk}"))


def test_best_strength_counts_only_people_now_on_the_team(account, org):
    leaver = UserFactory(username="leaver")
    RelationshipFactory(contact=org["buyer"], user=leaver, strength=4)  # joins the team
    TeamMember.objects.filter(account=account, user=leaver).delete()  # and leaves it
    root = _xml(relationship_map_svg(account))
    assert "○○○○" in _texts(_group(root, f"relmap{account.pk}_c{org['buyer'].pk}"))


def test_every_user_supplied_string_is_escaped(account):
    unit = BusinessUnitFactory(account=account, name='R&D <Labs> "West"')
    boss = ContactFactory(
        account=account,
        name='<i>O\'Brien</i> & "Co"',
        title="<b>VP</b> & 'Head' of \"R&D\"",
        business_unit=unit,
    )
    ContactFactory(account=account, name="Tab\tand\x07bell >", reports_to=boss)
    svg = relationship_map_svg(account)
    assert "<i>" not in svg and "<b>" not in svg
    root = _xml(svg)  # parses: nothing unescaped broke the markup
    text = _texts(root)
    assert '<i>O\'Brien</i> & "Co"' in text
    assert "<b>VP</b> & 'Head' of \"R&D\"" in text
    assert 'R&D <Labs> "West"' in text
    assert "Tab and bell >" in text
    titles = " ".join(t.text or "" for t in root.iter(f"{SVG}title"))
    assert "Tab and bell > reports to <i>O'Brien</i>" in titles


def test_the_map_is_standalone_svg_that_parses_as_xml(account, org):
    svg = relationship_map_svg(account)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    root = _xml(svg)
    assert root.tag == f"{SVG}svg"
    assert svg_size_pt(svg)[0] > 0
    # Every text names its font: WeasyPrint would fall back to a serif otherwise.
    assert all("DejaVu Sans" in t.get("font-family", "") for t in root.iter(f"{SVG}text"))


def test_the_same_data_draws_the_same_svg(account, org):
    first = relationship_map_svg(account)
    cache.clear()
    assert relationship_map_svg(account) == first


def test_a_repeat_view_comes_from_the_cache_and_a_change_redraws(account, org, settings):
    first = relationship_map_svg(account)
    settings.STRATA_GRAPHVIZ_DOT = "/nonexistent/dot"  # from here on dot cannot run
    assert relationship_map_svg(account) == first  # cached: dot was not needed
    org["loner"].name = "Otto Renamed"
    org["loner"].save()
    with pytest.raises(RelationshipMapUnavailable):
        relationship_map_svg(account)  # the change was noticed: it had to draw again
    settings.STRATA_GRAPHVIZ_DOT = "dot"
    assert "Otto Renamed" in relationship_map_svg(account)


def test_a_new_relationship_redraws_the_badge(account, org, teammate):
    RelationshipFactory(contact=org["buyer"], user=teammate, strength=4)
    root = _xml(relationship_map_svg(account))
    assert "●●●●" in _texts(_group(root, f"relmap{account.pk}_c{org['buyer'].pk}"))


# --- The Map tab ----------------------------------------------------------------------


def test_map_tab_shows_the_map_legend_zoom_and_downloads(client_for, teammate, account, org):
    response = client_for(teammate).get(f"/accounts/{account.pk}/map/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-selected="true" aria-controls="tab-panel"' in page
    assert re.search(r'id="tab-map"[^>]*aria-selected="true"', page)
    assert "<svg" in page and "Ingrid Holm" in page
    assert "Best relationship" in page and "Champion" in page and "Decision maker" in page
    assert 'data-relmap-zoom="in"' in page and "js/relmap" in page
    assert f"/accounts/{account.pk}/map.svg" in page
    assert f"/accounts/{account.pk}/map.pdf" in page


def test_htmx_request_gets_only_the_tab_area(client_for, teammate, account, org):
    response = client_for(teammate).get(f"/accounts/{account.pk}/map/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="account-tabs">')
    assert "<html" not in page and "<h1>" not in page
    assert "Ingrid Holm" in page
    assert "HX-Request" in response["Vary"]


def test_empty_state_invites_an_editor_to_add_a_contact(client_for, owner, account):
    page = client_for(owner).get(f"/accounts/{account.pk}/map/").content.decode()
    assert "No contacts to map yet" in page
    assert f"/accounts/{account.pk}/contacts/new/" in page
    assert "<svg class" not in page and "map.svg" not in page


def test_empty_state_offers_no_add_link_to_a_reader(client_for, executive, account):
    page = client_for(executive).get(f"/accounts/{account.pk}/map/").content.decode()
    assert "No contacts to map yet" in page
    assert "Add the first contact" not in page


def test_without_graphviz_the_tab_explains_and_downloads_answer_503(
    client_for, teammate, account, org, settings
):
    settings.STRATA_GRAPHVIZ_DOT = "/nonexistent/dot"
    client = client_for(teammate)
    response = client.get(f"/accounts/{account.pk}/map/")
    assert response.status_code == 200
    assert "Graphviz is not installed" in response.content.decode()
    for suffix in ("map.svg", "map.pdf"):
        download = client.get(f"/accounts/{account.pk}/{suffix}")
        assert download.status_code == 503
        assert "apt-get install graphviz" in download.content.decode()


def test_a_dot_that_hangs_is_stopped_and_reported(
    client_for, teammate, account, org, settings, tmp_path
):
    hanging = tmp_path / "dot"
    hanging.write_text("#!/bin/sh\nexec sleep 30\n")
    hanging.chmod(0o755)
    settings.STRATA_GRAPHVIZ_DOT = str(hanging)
    settings.STRATA_RELMAP_TIMEOUT_SECONDS = 0.5
    started = time.perf_counter()
    response = client_for(teammate).get(f"/accounts/{account.pk}/map.svg")
    assert response.status_code == 503
    assert "took too long" in response.content.decode()
    assert time.perf_counter() - started < 10


def test_when_orthogonal_lines_fail_the_map_is_drawn_with_polylines(
    account, org, settings, tmp_path
):
    # dot 2.43's orthogonal router fails an assertion on some graphs; this dot fails on all.
    fussy = tmp_path / "dot"
    fussy.write_text(
        '#!/bin/sh\ninput=$(cat)\ncase "$input" in *ortho*) echo "maze.c: assertion" >&2; '
        'exit 134;; esac\nprintf "%s" "$input" | dot "$@"\n'
    )
    fussy.chmod(0o755)
    settings.STRATA_GRAPHVIZ_DOT = str(fussy)
    svg = relationship_map_svg(account)
    assert svg.count('class="edge"') == 3
    assert "Ingrid Holm" in _texts(_xml(svg))


# --- Downloads ------------------------------------------------------------------------


def test_svg_download_is_an_attachment_named_after_the_account(client_for, teammate, account, org):
    response = client_for(teammate).get(f"/accounts/{account.pk}/map.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="acme-industrial-relationship-map.svg"'
    )
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "Ingrid Holm" in _texts(ET.fromstring(response.content))


def test_pdf_download_is_one_landscape_page_with_the_map(client_for, teammate, account, org):
    response = client_for(teammate).get(f"/accounts/{account.pk}/map.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="acme-industrial-relationship-map.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = page.extract_text()
    assert "Acme Industrial" in text and "Relationship map" in text
    for name in ("Ingrid Holm", "Rafael Ortiz", "Pia Lund", "Carla Buyer", "Otto Einzel"):
        assert name in text
    assert "Page 1 of 1" in text  # pdf.css was fetched and applied


# --- Who may see it -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["map/", "map.svg", "map.pdf"])
def test_outsider_gets_404(client_for, outsider, account, org, suffix):
    assert client_for(outsider).get(f"/accounts/{account.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["map/", "map.svg", "map.pdf"])
def test_unknown_account_is_404(client_for, owner, suffix):
    assert client_for(owner).get(f"/accounts/999999/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["map/", "map.svg", "map.pdf"])
def test_signed_out_visitor_is_sent_to_log_in(client, account, suffix):
    response = client.get(f"/accounts/{account.pk}/{suffix}")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", ["owner", "teammate", "manager", "executive", "admin_user"])
def test_everyone_who_sees_the_account_may_view_the_map(client_for, request, account, org, who):
    client = client_for(request.getfixturevalue(who))
    for suffix in ("map/", "map.svg", "map.pdf"):
        assert client.get(f"/accounts/{account.pk}/{suffix}").status_code == 200


def test_the_map_accepts_only_get(client_for, owner, account):
    assert client_for(owner).post(f"/accounts/{account.pk}/map/").status_code == 405


# --- Cost -----------------------------------------------------------------------------


def _org_of(account, size: int) -> None:
    units = [BusinessUnitFactory(account=account, name=f"Unit {i}") for i in range(3)]
    boss = None
    for i in range(size):
        contact = ContactFactory(
            account=account, name=f"Person {i:03d}", business_unit=units[i % 3], reports_to=boss
        )
        boss = boss or contact


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("suffix", ["map/", "map.svg"])
def test_query_count_does_not_grow_with_the_contacts(client_for, owner, account, suffix):
    small = account
    large = AccountFactory(name="Large Customer", owner=owner)
    _org_of(small, 3)
    _org_of(large, 30)
    client = client_for(owner)
    assert _queries(client, f"/accounts/{small.pk}/{suffix}") == _queries(
        client, f"/accounts/{large.pk}/{suffix}"
    )


def test_a_cached_map_reads_less(client_for, owner, account, org):
    client = client_for(owner)
    url = f"/accounts/{account.pk}/map.svg"
    cold = _queries(client, url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm) == cold - 1  # no contact query: only the fingerprint is read


def test_a_two_hundred_contact_org_renders_legibly(account, teammate):
    """Prints the time to draw it: `pytest -s` shows it."""
    units = [BusinessUnitFactory(account=account, name=f"Division {i}") for i in range(6)]
    ceo = ContactFactory(account=account, name="Contact 000", level=Contact.Level.EXECUTIVE)
    heads, managers, contacts = [], [], [ceo]
    for unit in units:
        heads.append(
            ContactFactory(
                account=account,
                name=f"Contact {len(contacts):03d}",
                reports_to=ceo,
                business_unit=unit,
            )
        )
        contacts.append(heads[-1])
    while len(contacts) < 200:
        n = len(contacts)
        head = heads[n % len(heads)]
        if n % 8 == 0 or not managers:
            boss = head
        elif n % 41 == 0:
            boss = None  # nobody recorded as their manager
        else:
            boss = managers[n % len(managers)]
        contact = ContactFactory(
            account=account,
            name=f"Contact {n:03d}",
            business_unit=head.business_unit,
            reports_to=boss,
            attitude=list(ATTITUDE_FILL)[n % 5],
        )
        if boss is head:
            managers.append(contact)
        contacts.append(contact)
        if n % 3 == 0:
            RelationshipFactory(contact=contact, user=teammate, strength=n % 5)

    started = time.perf_counter()
    svg = relationship_map_svg(account)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    relationship_map_svg(account)
    cached = time.perf_counter() - started
    print(f"\n200-contact map: drawn in {cold:.3f} s, from the cache in {cached:.3f} s")

    text = _texts(_xml(svg))
    assert all(f"Contact {n:03d}" in text for n in range(200))
    assert svg.count('class="node"') == 200
    # Not one endless row of boxes: too wide for a window, it is drawn left to right.
    assert svg_size_pt(svg)[0] <= WIDE_POINTS
    boxes = [_bounds(g) for g in _xml(svg).iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert len(boxes) == 6
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert not _overlap(first, second), "two business units drawn over each other"


def _bounds(group: ET.Element) -> tuple[float, float, float, float]:
    shape = group.find(f"{SVG}path")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
