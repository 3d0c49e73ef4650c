"""`field__any_of=[ids]`: membership in a list bound as ONE parameter on PostgreSQL
(`= ANY(%s)`, an array), instead of one parameter per id as `__in` binds them.

Why: the pipeline of a manager filters by the ids of the accounts they may see (often
over a thousand); psycopg spends about 17 ms per query splitting a statement with that
many placeholders (bench/README.md). Other databases get the plain `IN (...)`."""

from django.db.models import ForeignKey, IntegerField, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, ids]
        if not ids:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


def register() -> None:
    for field in (ForeignKey, IntegerField):
        field.register_lookup(AnyOf)
