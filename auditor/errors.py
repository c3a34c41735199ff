"""The exception tree. Every error carries where it happened and formats its own message.

AuditorError                 root; the CLI turns any of these into "Error: ..." and exit 2
├── ConfigError(path, line, key)   audit.yaml, promises.yaml, rubric files
├── InputError(path, line)         a knowledge-base file or export that cannot be read at all
├── SourceError(url)               a source that cannot be reached at all (not one page)
└── StoreError(location)           the run history: cannot open, unknown run, newer schema
"""

from __future__ import annotations


class AuditorError(Exception):
    """Root of every error the CLI reports as a usage or input error (exit code 2)."""

    def message(self) -> str:
        return str(self)

    def __reduce__(self):
        # rebuilt from its fields, not its message: a crawl run in a worker process
        # (`sources.background`) raises its error again in the audit's process
        fields = {k: v for k, v in vars(self).items() if not k.startswith("_")}
        return (_rebuilt, (type(self), fields, self.args))


def _rebuilt(cls: type[AuditorError], fields: dict, args: tuple) -> AuditorError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(fields)
    return error


class ConfigError(AuditorError):
    def __init__(self, path: str, problem: str, line: int | None = None, key: str | None = None):
        self.path = path
        self.problem = problem
        self.line = line
        self.key = key
        super().__init__(self.message())

    def message(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {self.problem}"


class InputError(AuditorError):
    def __init__(self, path: str, problem: str, line: int | None = None):
        self.path = path
        self.problem = problem
        self.line = line
        super().__init__(self.message())

    def message(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.problem}"


class SourceError(AuditorError):
    def __init__(self, url: str, problem: str):
        self.url = url
        self.problem = problem
        super().__init__(self.message())

    def message(self) -> str:
        return f"{self.url}: {self.problem}"


class StoreError(AuditorError):
    """The history store failed. `location` never carries a password (see store.safe_location)."""

    def __init__(self, location: str, problem: str):
        self.location = location
        self.problem = problem
        super().__init__(self.message())

    def message(self) -> str:
        return f"{self.location}: {self.problem}"
