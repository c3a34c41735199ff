"""audit.yaml -> a validated, frozen Config (DESIGN.md, "Configuration").

Unknown keys are errors; every error names the file, the line and the key. Paths in the file are
relative to the file's folder and are resolved here, once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from auditor.errors import ConfigError
from auditor.model import ROLES, SEVERITIES, Promise
from auditor.yamlfile import load_yaml, validate

TRANSCRIPT_FORMAT_NAMES = ("auto", "generic", "intercom", "zendesk", "zendesk-chat", "csv", "text")
# csv: our fields that `columns` may map to the export's column names
CSV_FIELDS = (
    "conversation_id",
    "timestamp",
    "sender",
    "role",
    "message",
    "agent",
    "segment",
    "customer_name",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WebChannel(_Strict):
    name: str
    kind: Literal["web"]
    start: list[str] = Field(min_length=1)
    include: list[str] = []
    exclude: list[str] = []
    max_pages: int = Field(500, ge=1)
    max_depth: int = Field(20, ge=0)
    robots: Literal["obey", "ignore"] = "obey"
    concurrency: int = Field(2, ge=1, le=32)  # per host
    delay: float = Field(0.0, ge=0)  # seconds between requests to one host
    user_agent: str | None = None


class HelpCenterChannel(_Strict):
    name: str
    kind: Literal["helpcenter"]
    url: str
    platform: Literal["zendesk"] = "zendesk"
    locale: str = "en-us"
    token: str | None = None
    max_pages: int = Field(1000, ge=1)


class FilesChannel(_Strict):
    name: str
    kind: Literal["files"]
    paths: list[str] = Field(min_length=1)
    exclude: list[str] = []


class ChatChannel(_Strict):
    name: str
    kind: Literal["chat"]
    paths: list[str] = Field(min_length=1)
    format: Literal["auto", "generic", "intercom", "zendesk", "zendesk-chat", "csv", "text"] = (
        "auto"
    )
    columns: dict[str, str] = {}  # csv: our field name -> the export's column name
    speakers: dict[str, str] = {}  # text logs and csv: speaker label -> role
    # Intercom: the conversation custom attribute holding the segment (default "segment");
    # Zendesk: the ticket custom field id holding it. Tags "segment:X" / "segment_X" also work.
    segment_field: str | None = None

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, columns: dict[str, str]) -> dict[str, str]:
        for key in columns:
            if key not in CSV_FIELDS:
                raise ValueError(f"unknown column field '{key}' (expected one of {CSV_FIELDS})")
        return columns

    @field_validator("speakers")
    @classmethod
    def _speaker_roles(cls, speakers: dict[str, str]) -> dict[str, str]:
        for label, role in speakers.items():
            if role not in ROLES:
                raise ValueError(f"speaker '{label}' maps to '{role}', not one of {ROLES}")
        return speakers


Channel = Annotated[
    Union[WebChannel, HelpCenterChannel, FilesChannel, ChatChannel], Field(discriminator="kind")
]


class PromiseSpec(_Strict):
    id: str
    statement: str
    severity: Literal["critical", "major", "minor", "info"] = "major"


class PromisesFile(_Strict):
    promises: list[PromiseSpec] = []


class GateSpec(_Strict):
    fail_on: list[Literal["critical", "major", "minor", "info"]] = ["critical", "major"]
    min_score: float | None = Field(None, ge=0, le=100)
    baseline: str | None = None


class BrandContacts(_Strict):
    """The brand's own phone numbers and addresses: kept by redaction, since we audit them."""

    phones: list[str] = []
    emails: list[str] = []


class ConfigSpec(_Strict):
    brand: str
    channels: list[Channel] = Field(min_length=1)
    promises: str | list[PromiseSpec] | None = None
    authority: list[str] = []
    rubric: str = "cx-default"
    gate: GateSpec = GateSpec()
    store: str | None = None
    brand_contacts: BrandContacts = BrandContacts()

    @field_validator("channels")
    @classmethod
    def _unique_names(cls, channels: list) -> list:
        seen: set[str] = set()
        for channel in channels:
            if channel.name in seen:
                raise ValueError(f"channel name '{channel.name}' is used twice")
            seen.add(channel.name)
        return channels

    @model_validator(mode="after")
    def _authority_names_channels(self) -> ConfigSpec:
        names = {c.name for c in self.channels}
        for name in self.authority:
            if name not in names:
                raise ValueError(f"authority names '{name}', which is not a channel")
        return self


class Config(BaseModel):
    """The validated configuration, with paths resolved against the config file's folder."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path
    root: Path
    spec: ConfigSpec
    promises: tuple[Promise, ...]

    @property
    def brand(self) -> str:
        return self.spec.brand

    @property
    def channels(self) -> list:
        return list(self.spec.channels)

    @property
    def authority(self) -> list[str]:
        """Channel names, most authoritative first; unlisted channels follow in config order."""
        listed = list(self.spec.authority)
        return listed + [c.name for c in self.spec.channels if c.name not in listed]

    def resolve(self, relative: str) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else self.root / path


def load_config(path: str | Path) -> Config:
    """Read and validate audit.yaml. Raises ConfigError naming file, line and key."""
    config_path = Path(path)
    if config_path.is_dir():
        config_path = config_path / "audit.yaml"
    data, node = load_yaml(config_path)
    if not isinstance(data, dict):
        raise ConfigError(str(config_path), "expected a mapping of settings at the top level", 1)
    spec = validate(ConfigSpec, data, node, config_path)
    root = config_path.resolve().parent
    promises = _load_promises(spec, root, config_path)
    return Config(path=config_path, root=root, spec=spec, promises=promises)


def _load_promises(spec: ConfigSpec, root: Path, config_path: Path) -> tuple[Promise, ...]:
    if spec.promises is None:
        return ()
    if isinstance(spec.promises, list):
        items = spec.promises
    else:
        promises_path = Path(spec.promises)
        if not promises_path.is_absolute():
            promises_path = root / promises_path
        data, node = load_yaml(promises_path)
        if isinstance(data, list):
            data = {"promises": data}
        items = validate(PromisesFile, data, node, promises_path).promises
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ConfigError(str(config_path), f"promise id '{item.id}' is used twice")
        seen.add(item.id)
    assert all(item.severity in SEVERITIES for item in items)
    return tuple(Promise(id=p.id, statement=p.statement, severity=p.severity) for p in items)
