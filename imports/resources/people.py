"""Contacts: matched by external id; the business unit of their own account; reports-to
inside the file or already in Strata, same account, cycles refused. (Team members and
relationships: team.py.)"""

from django.core.exceptions import ValidationError

from accounts_app.models import BusinessUnit, Contact

from ..widgets import ChoiceWidget, TextWidget
from .base import ImportResource, chunks, duplicates, field, lookup


def _contact_name(row) -> str:
    name = (row.get("name") or "").strip()
    if not name:
        name = " ".join(
            p for p in (row.get("first_name", ""), row.get("last_name", "")) if p
        ).strip()
    return name


class ContactResource(ImportResource):
    tracked = (
        "account",
        "name",
        "title",
        "email",
        "phone",
        "business_unit",
        "level",
        "buying_role",
        "attitude",
        "notes",
        "external_id",
    )
    clean_exclude = ("reports_to",)
    keep_objects = True
    links_after = True

    class Meta(ImportResource.Meta):
        model = Contact
        fields = ()

    def __init__(self, ctx, columns):
        super().__init__(ctx, columns)
        self.fields.update(
            {
                "external_id": field("external_id", TextWidget(max_length=100)),
                "account": lookup("account", self.ctx.account),
                "title": field("title", TextWidget(max_length=200)),
                "email": field("email", TextWidget(max_length=254)),
                "phone": field("phone", TextWidget(max_length=40)),
                "level": field("level", ChoiceWidget(Contact.Level.choices)),
                "buying_role": field("buying_role", ChoiceWidget(Contact.BuyingRole.choices)),
                "attitude": field("attitude", ChoiceWidget(Contact.Attitude.choices)),
                "notes": field("notes", TextWidget()),
            }
        )
        self.units: dict[tuple[int, str], int] = {}
        self.reports_ref: dict[int, str] = {}

    def prepare(self, rows):
        ctx, problems = self.ctx, self.file_errors
        problems.update(duplicates(rows, lambda r: r.get("external_id") or None, "external_id"))
        exts = [r["external_id"] for r in rows if r and r.get("external_id")]
        refs = [r["reports_to"] for r in rows if r and r.get("reports_to")]
        known = {}  # external id -> (pk, account_id, reports_to_id)
        for chunk in chunks(set(exts) | set(refs)):
            for pk, ext, account_id, boss in Contact.objects.filter(
                external_id__in=chunk
            ).values_list("pk", "external_id", "account_id", "reports_to_id"):
                known[ext] = (pk, account_id, boss)
        self.known_pk = {ext: pk for ext, (pk, _, _) in known.items()}
        account_of_row: dict[int, int] = {}
        for row in rows:
            if row is None:
                continue
            number, ext = row["__row"], row.get("external_id") or ""
            try:
                account_of_row[number] = ctx.account_id(row.get("account", ""), need="edit")
            except ValueError as exc:
                problems.setdefault(number, {})["account"] = str(exc)
            if ext in known:
                pk, account_id, _ = known[ext]
                if not ctx.sees(account_id):
                    problems.setdefault(number, {})["external_id"] = (
                        f"Unknown contact “{ext}”, or one you may not change."
                    )
                elif number in account_of_row and account_of_row[number] != account_id:
                    problems.setdefault(number, {})["account"] = (
                        "This contact belongs to another account: contacts do not move between "
                        "accounts by import."
                    )
                else:
                    self.match[number] = pk
            if not _contact_name(row) and number not in self.match:
                problems.setdefault(number, {})["name"] = "A contact needs a name."
        if "business_unit" in self.columns:
            wanted = {
                account_of_row[r["__row"]]
                for r in rows
                if r and r.get("business_unit") and r["__row"] in account_of_row
            }
            for chunk in chunks(wanted):
                for pk, account_id, name in BusinessUnit.objects.filter(
                    account_id__in=chunk
                ).values_list("pk", "account_id", "name"):
                    self.units[(account_id, name.casefold())] = pk
            for row in rows:
                if row and row.get("business_unit") and row["__row"] in account_of_row:
                    key = (account_of_row[row["__row"]], row["business_unit"].casefold())
                    if key not in self.units:
                        problems.setdefault(row["__row"], {})["business_unit"] = (
                            f"The account has no business unit “{row['business_unit']}” "
                            "(add it to the account, or import the account's business units first)."
                        )
        if "reports_to" in self.columns:
            self._check_reports(rows, known, account_of_row)

    def _check_reports(self, rows, known, account_of_row):
        in_file = {r["external_id"]: r["__row"] for r in rows if r and r.get("external_id")}
        boss: dict[tuple, tuple] = {}
        node_of_pk = {pk: ("row", n) for n, pk in self.match.items()}
        for pk, _, boss_pk in known.values():
            if boss_pk:
                boss[node_of_pk.get(pk, ("db", pk))] = node_of_pk.get(boss_pk, ("db", boss_pk))
        for row in rows:
            if row is None:
                continue
            number, ref = row["__row"], (row.get("reports_to") or "").strip()
            self.reports_ref[number] = ref
            node = ("row", number)
            if not ref:
                boss.pop(node, None)
                continue
            if ref in in_file:
                target, account_id = ("row", in_file[ref]), account_of_row.get(in_file[ref])
            elif ref in known and self.ctx.sees(known[ref][1]):
                target, account_id = (
                    node_of_pk.get(known[ref][0], ("db", known[ref][0])),
                    known[ref][1],
                )
            else:
                self.file_errors.setdefault(number, {})["reports_to"] = f"Unknown contact “{ref}”."
                continue
            if target == node:
                self.file_errors.setdefault(number, {})["reports_to"] = (
                    "A contact cannot report to themselves."
                )
            elif account_id != account_of_row.get(number):
                self.file_errors.setdefault(number, {})["reports_to"] = (
                    f"“{ref}” is a contact of another account: choose one of the same account."
                )
            else:
                boss[node] = target
        for number, ref in self.reports_ref.items():
            if not ref or number in self.file_errors:
                continue
            seen, node = {("row", number)}, boss.get(("row", number))
            while node is not None:
                if node in seen:
                    self.file_errors.setdefault(number, {})["reports_to"] = (
                        "This would create a reporting loop."
                    )
                    break
                seen.add(node)
                node = boss.get(node)

    def import_instance(self, instance, row, **kwargs):
        bad = None
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            bad = exc  # the other fields are still set: no second, wrong message for them
        name = _contact_name(row)
        if name:
            instance.name = name[:200]
        if not instance.external_id:
            instance.external_id = None
        unit = row.get("business_unit")
        if "business_unit" in self.columns:
            unit_id = self.units.get((instance.account_id, unit.casefold())) if unit else None
            # A stand-in with the ids Contact.clean compares: no read per row.
            instance.business_unit = (
                BusinessUnit(pk=unit_id, account_id=instance.account_id) if unit_id else None
            )
        if bad is not None:
            raise bad

    def changed_beyond_fields(self, instance, row):
        ref = self.reports_ref.get(row["__row"])
        if ref is None:
            return False
        if not ref:
            return instance.reports_to_id is not None
        return self.known_pk.get(ref) != instance.reports_to_id

    def finish(self, rows, *, dry_run):
        if dry_run:
            return {}
        pk_of_row = {n: obj.pk for n, obj in self.row_objects.items()}
        if self.reports_ref:
            ext_pk = {}
            refs = [r for r in self.reports_ref.values() if r]
            for chunk in chunks(set(refs)):
                ext_pk.update(
                    Contact.objects.filter(external_id__in=chunk).values_list("external_id", "pk")
                )
            # Only the rows that name someone, or clear a link (the others keep theirs),
            # a thousand records at a time: 100,000 model instances would not fit.
            links = [
                (pk_of_row[n], ext_pk.get(ref) if ref else None)
                for n, ref in self.reports_ref.items()
                if n in pk_of_row and self.row_types.get(n) in ("new", "update")
            ]
            for start in range(0, len(links), 1000):
                batch = dict(links[start : start + 1000])
                changed = []
                for contact in Contact.objects.in_bulk(list(batch)).values():
                    if contact.reports_to_id != batch[contact.pk]:
                        contact.reports_to_id = batch[contact.pk]
                        changed.append(contact)
                self.link(Contact, changed, ["reports_to"])
        self.record_created()
        return self.written()
