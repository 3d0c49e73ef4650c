"""Accounts: matched by external id (else by exact name); the parent inside the file or
already in Strata (cycles refused), industry and region from the organisation's lists
(a country finds its region), business units as a list."""

import re

from accounts_app.models import Account, BusinessUnit, Industry, LifecycleStage, Region, TeamMember
from accounts_app.services import ACCOUNT_FIELDS
from core import history

from ..countries import region_code_for_country
from ..widgets import AmountWidget, ChoiceWidget, NumberWidget, TextWidget
from .base import ImportResource, chunks, duplicates, field, lookup


def split_units(value: str) -> list[str]:
    text = (value or "").strip()
    if not text:
        return []
    parts = re.split(r"[;|\n]", text) if re.search(r"[;|\n]", text) else text.split(",")
    return list(dict.fromkeys(p.strip()[:200] for p in parts if p.strip()))


def _entries(model) -> dict:
    found = {}
    for entry in model.objects.all():
        found[entry.name.casefold()] = entry
        found[entry.code.casefold()] = entry
    return found


class AccountResource(ImportResource):
    # The fields an account's service writes (the parent is linked in `finish`).
    tracked = (*(f for f in ACCOUNT_FIELDS if f != "parent"), "external_id")
    clean_exclude = ("parent", "owner")
    keep_objects = True
    links_after = True

    class Meta(ImportResource.Meta):
        model = Account
        fields = ()

    def __init__(self, ctx, columns):
        self.industries = _entries(Industry)
        self.regions = _entries(Region)
        super().__init__(ctx, columns)
        self.fields.update(
            {
                "external_id": field("external_id", TextWidget(max_length=100)),
                "name": field("name", TextWidget(max_length=200)),
                "industry": lookup("industry", self.industry),
                "region": lookup("region", self.region),
                "lifecycle_stage": field("lifecycle_stage", ChoiceWidget(LifecycleStage.choices)),
                "annual_revenue": field("annual_revenue", AmountWidget()),
                "wallet_estimate": field("wallet_estimate", AmountWidget()),
                "gross_margin_pct": field("gross_margin_pct", NumberWidget()),
                "strategic_value": field("strategic_value", NumberWidget(integer=True)),
                "strategic_value_reason": field("strategic_value_reason", TextWidget()),
                "website": field("website", TextWidget(max_length=200)),
                "description": field("description", TextWidget()),
            }
        )
        self.parent_ref: dict[int, str] = {}  # row -> parent reference ("" = none)
        self.parent_node: dict[int, tuple] = {}  # row -> ("row", n) or ("db", pk)
        self.owner_of: dict[int, int] = {}  # row -> owner's user id (new accounts)
        self.units_have: dict[int, set] = {}

    def industry(self, value):
        entry = self.industries.get(value.casefold())
        if entry is None:
            names = ", ".join(sorted({e.name for e in self.industries.values()}))
            raise ValueError(f"“{value}” is not in your list of industries ({names}).")
        return entry

    def region(self, value):
        entry = self.regions.get(value.casefold())
        if entry is None:
            code = region_code_for_country(value)
            entry = self.regions.get(code) if code else None
        if entry is None:
            names = ", ".join(sorted({e.name for e in self.regions.values()}))
            raise ValueError(
                f"“{value}” is not in your list of regions ({names}), nor a country Strata knows."
            )
        return entry

    # --- the whole file, before any row -----------------------------------------------------
    def prepare(self, rows):
        ctx = self.ctx
        problems = self.file_errors
        problems.update(duplicates(rows, lambda r: r.get("external_id") or None, "external_id"))
        if "external_id" not in self.columns:
            problems.update(
                duplicates(rows, lambda r: (r.get("name") or "").casefold() or None, "name")
            )
        in_file: dict[str, int] = {}  # external id -> row
        for row in rows:
            if row is None:
                continue
            number = row["__row"]
            ext = row.get("external_id") or ""
            if ext:
                in_file.setdefault(ext, number)
            try:
                pk = self._match(row)
            except ValueError as exc:
                problems.setdefault(number, {})["external_id" if ext else "name"] = str(exc)
                continue
            if pk is not None:
                self.match[number] = pk
            elif not ctx.may_create_accounts:
                problems.setdefault(number, {})["name"] = "You may not create accounts."
            elif row.get("owner"):
                try:
                    self.owner_of[number] = ctx.user_id(row["owner"])
                except ValueError as exc:
                    problems.setdefault(number, {})["owner"] = str(exc)
        if "parent" in self.columns:
            self._check_parents(rows, in_file)
        if "business_units" in self.columns:
            for chunk in chunks(self.match.values()):
                for account_id, name in BusinessUnit.objects.filter(
                    account_id__in=chunk
                ).values_list("account_id", "name"):
                    self.units_have.setdefault(account_id, set()).add(name.casefold())

    def _match(self, row):
        """The existing account a row updates (pk), or None for a new one."""
        ctx = self.ctx
        ext = row.get("external_id") or ""
        if ext:
            pk = ctx.account_by_ext.get(ext)
        else:
            named = [
                p
                for p in ctx.accounts_by_name.get((row.get("name") or "").casefold(), [])
                if ctx.sees(p)
            ]
            if len(named) > 1:
                raise ValueError(
                    f"{len(named)} accounts are named “{row.get('name')}”: "
                    "add an external id column."
                )
            pk = named[0] if named else None
        if pk is None:
            return None
        if not ctx.sees(pk):
            # Never say whether an account they may not see exists.
            raise ValueError(f"Unknown account “{ext}”, or one you may not change.")
        if ctx.editable is not None and pk not in ctx.editable:
            raise ValueError(
                f"You may not change account “{ext or row.get('name')}”: only its team does."
            )
        return pk

    def _check_parents(self, rows, in_file):
        ctx = self.ctx
        names_in_file: dict[str, list[int]] = {}
        for row in rows:
            if row is not None and row.get("name"):
                names_in_file.setdefault(row["name"].casefold(), []).append(row["__row"])
        node_of_pk = {}
        for number, pk in self.match.items():
            node_of_pk[pk] = ("row", number)
        # The parent each account will have: ("row", n) for rows, ("db", pk) for the others.
        parent: dict[tuple, tuple | None] = {}
        for pk, (_, _, parent_id) in ctx.account_rows.items():
            if parent_id:
                parent[node_of_pk.get(pk, ("db", pk))] = node_of_pk.get(
                    parent_id, ("db", parent_id)
                )
        for row in rows:
            if row is None:
                continue
            number, ref = row["__row"], (row.get("parent") or "").strip()
            node = ("row", number)
            self.parent_ref[number] = ref
            if not ref:
                parent.pop(node, None)
                continue
            if ref in in_file:
                target = ("row", in_file[ref])
            else:
                try:
                    pk = ctx.account_id(ref, need="see")
                except ValueError as exc:
                    # Not in Strata: a new account of the file, named by its name.
                    named = names_in_file.get(ref.casefold(), [])
                    if len(named) != 1:
                        self.file_errors.setdefault(number, {})["parent"] = str(exc)
                        continue
                    target = ("row", named[0])
                else:
                    target = node_of_pk.get(pk, ("db", pk))
            if target == node:
                self.file_errors.setdefault(number, {})["parent"] = (
                    "An account cannot be its own parent."
                )
                continue
            parent[node] = target
            self.parent_node[number] = target
        for row in rows:
            if row is None or not self.parent_ref.get(row["__row"]):
                continue
            start = ("row", row["__row"])
            seen, node = {start}, parent.get(start)
            while node is not None:
                if node in seen:
                    self.file_errors.setdefault(row["__row"], {})["parent"] = (
                        "These parents go round in a circle: an account cannot be its own "
                        "parent, directly or through others."
                    )
                    break
                seen.add(node)
                node = parent.get(node)

    # --- each row -------------------------------------------------------------------------
    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.external_id:
            instance.external_id = None
        if instance.pk is None:  # a new account is created with its owner (one history row)
            instance.owner_id = self.owner_of.get(row["__row"], self.ctx.user.pk)

    def changed_beyond_fields(self, instance, row):
        number = row["__row"]
        if number in self.parent_ref:
            ref = self.parent_ref[number]
            if not ref:
                return instance.parent_id is not None
            pk = self.ctx.account_by_ext.get(ref)
            if pk is None:
                named = self.ctx.accounts_by_name.get(ref.casefold(), [])
                pk = named[0] if len(named) == 1 else None
            if pk != instance.parent_id:
                return True
        units = split_units(row.get("business_units", ""))
        have = self.units_have.get(instance.pk, set())
        return any(u.casefold() not in have for u in units)

    # --- after every row ----------------------------------------------------------------------
    def finish(self, rows, *, dry_run):
        if dry_run:
            return {}
        ctx = self.ctx
        pk_of_row = {n: obj.pk for n, obj in self.row_objects.items()}
        if self.parent_ref:
            parents = {}
            for number in self.parent_ref:
                if number not in pk_of_row:
                    continue
                kind, key = self.parent_node.get(number, (None, None))
                parents[pk_of_row[number]] = pk_of_row[key] if kind == "row" else key
            for chunk in chunks(list(parents)):
                changes = []
                for account in Account.objects.in_bulk(chunk).values():
                    if account.parent_id != parents[account.pk]:
                        account.parent_id = parents[account.pk]
                        changes.append(account)
                self.link(Account, changes, ["parent"])
        self.record_created()
        new_units = []
        for row in rows:
            if row and row.get("business_units") and row["__row"] in pk_of_row:
                pk = pk_of_row[row["__row"]]
                have = self.units_have.setdefault(pk, set())
                for name in split_units(row["business_units"]):
                    if name.casefold() not in have:
                        have.add(name.casefold())
                        new_units.append(BusinessUnit(account_id=pk, name=name))
        history.bulk_create(BusinessUnit, new_units, by=ctx.user)
        created = [pk for n, pk in pk_of_row.items() if n not in self.match]
        owners = {
            pk_of_row[n]: self.owner_of.get(n, ctx.user.pk)
            for n in pk_of_row
            if n not in self.match
        }
        history.bulk_create(
            TeamMember,
            [
                TeamMember(account_id=pk, user_id=user_id, role=TeamMember.Role.OWNER)
                for pk, user_id in owners.items()
            ],
            by=ctx.user,
        )
        updated = [pk for n, pk in pk_of_row.items() if self.row_types.get(n) == "update"]
        return {"created": created, "updated": updated}
