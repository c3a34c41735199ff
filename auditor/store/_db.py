"""A DB-API connection with its dialect: statements, transactions, and driver errors as StoreError.

Both drivers are used in autocommit mode and transactions are opened explicitly, so that the
same code decides where every transaction starts and ends on either engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from auditor.errors import StoreError
from auditor.store.dialect import Dialect


class Db:
    def __init__(self, connection: Any, dialect: Dialect, location: str):
        self.connection = connection
        self.dialect = dialect
        self.location = location

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.connection.cursor()
        cursor.execute(self.dialect.sql(statement), tuple(params))
        return cursor

    def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            self.connection.cursor().executemany(self.dialect.sql(statement), rows)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.execute(statement, params).fetchall())

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Report the driver's errors as StoreError naming this store."""
        try:
            yield
        except self.dialect.errors as error:
            raise StoreError(self.location, first_line(error)) from error

    @contextmanager
    def transaction(self, write: bool) -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with self.guard():
            self.execute(self.dialect.begin_write if write else self.dialect.begin_read)
            try:
                yield
            except BaseException:
                self.execute("ROLLBACK")
                raise
            self.execute("COMMIT")

    def close(self) -> None:
        with self.guard():
            self.connection.close()


def first_line(error: Exception) -> str:
    """The reason, without the hints and context lines that drivers add after it."""
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
