"""The few places where SQLite and PostgreSQL differ, so the SQL itself is written once.

Statements are written with `?` parameters and with types both engines accept (TEXT, INTEGER,
DOUBLE PRECISION); a dialect turns the parameters into its driver's style and says how to open a
transaction. No statement contains `?` or `%` other than as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str
    placeholder: str  # the driver's parameter marker
    serial_primary_key: str  # an auto-numbered integer primary key column
    begin_write: str  # opens a transaction that will write
    begin_read: str  # opens a transaction that reads one consistent snapshot
    migration_lock: str | None  # run first in the migration transaction, to serialise migrators
    errors: tuple[type[Exception], ...]  # the driver's error root(s), reported as StoreError

    def sql(self, statement: str) -> str:
        if self.placeholder == "?":
            return statement
        return statement.replace("?", self.placeholder)
