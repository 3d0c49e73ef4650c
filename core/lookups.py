"""`field__any_of=[ids]`: membership in a list bound as ONE parameter on PostgreSQL
(`= ANY(%s)`, an array), instead of one parameter per id as `__in` binds them.

Why: the pipeline of a manager filters by the ids of the accounts they may see (often
over a thousand); psycopg spends about 17 ms per query splitting a statement with that
many placeholders (bench/README.md). Other databases get the plain `IN (...)`.

Ids used on every page (the accounts a user may see) are given as an `IdArray`: Django
resolves a list or a tuple given to a lookup element by element, and psycopg dumps one
element by element — thousands of calls per query for a manager's accounts; an IdArray
is neither, and is bound as one array literal."""

from django.db.models import ForeignKey, IntegerField, Lookup


class IdArray:
    """Ids held as one value for `__any_of` (iterable, sized, not a list or tuple)."""

    __slots__ = ("ids", "literal")

    def __init__(self, ids):
        self.ids = tuple(int(pk) for pk in ids)
        self.literal = "{" + ",".join(map(str, self.ids)) + "}"

    def __iter__(self):
        return iter(self.ids)

    def __len__(self):
        return len(self.ids)

    def __repr__(self):
        return f"IdArray({len(self.ids)} ids)"


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if isinstance(self.rhs, IdArray):
            ids, literal = self.rhs.ids, self.rhs.literal
        else:
            ids = [int(value) for value in self.rhs]
            literal = None
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, literal or list(ids)]
        if not ids:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


def register() -> None:
    for field in (ForeignKey, IntegerField):
        field.register_lookup(AnyOf)
