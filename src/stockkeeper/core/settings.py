"""Settings from the environment (prefix ``STOCKKEEPER_``); nothing is read at import time."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# an origin as a browser sends it: scheme, host and port, no path
_ORIGIN = re.compile(r"https?://[^/\s]+")


Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# the environment variable ``stockkeeper serve`` names itself in for the server processes it
# starts: they stop when it is gone
SERVE_PID = "STOCKKEEPER_SERVE_PID"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STOCKKEEPER_", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    sqlite_busy_timeout_ms: int = Field(default=10_000, ge=0)
    # PostgreSQL: how long a statement waits for a row lock before the request fails with 503
    # busy; 0 leaves the server's own setting
    lock_timeout_ms: int = Field(default=10_000, ge=0)
    # per connection: enough for the ledger's index pages that a posting touches to stay in
    # memory at a million movements (SQLite's own default is 2 MB)
    sqlite_cache_mb: int = Field(default=32, ge=1)
    db_pool_size: int = Field(default=10, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # the origins whose pages may call the API from a browser (CORS), comma-separated; `*`
    # any; none by default
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # webhooks: targets on loopback, private or link-local addresses are refused unless allowed
    webhook_allow_private: bool = False
    # seconds to wait before each retry after a failed attempt (the Standard Webhooks schedule)
    webhook_retry_schedule: list[float] = Field(
        default=[5, 300, 1800, 7200, 18000, 36000, 36000], min_length=0
    )
    webhook_timeout_seconds: float = Field(default=10, gt=0)
    webhook_secret_grace_hours: float = Field(default=24, ge=0)
    worker_poll_seconds: float = Field(default=0.2, gt=0)
    # how long a claimed delivery stays with its worker before another may take it over
    worker_lease_seconds: float = Field(default=60, gt=0)

    # alerts: batches expiring within this many days raise an expiry warning; the scheduled
    # check (expiry, and thresholds changed without a movement) runs this often
    expiry_warning_days: int = Field(default=30, ge=0)
    alert_check_seconds: float = Field(default=300, gt=0)
    # how often the worker expires reservations past due (a posting at their location does
    # at once), so that their expiry is announced when nothing else moves
    reservation_expiry_seconds: float = Field(default=60, gt=0)
    # email for alert rules; without a host, emails wait in the database until one is set
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_from: str = "stockkeeper@localhost"
    smtp_timeout_seconds: float = Field(default=10, gt=0)
    # the mail server's certificate and host name are verified; off only for a self-signed
    # server on a network you trust (logged as a warning on every connection)
    smtp_verify_certificate: bool = True

    # the web UI: a session not used for this long is signed out
    session_idle_hours: float = Field(default=8, gt=0)
    # the web UI: a session ends this long after signing in, however much it is used
    session_lifetime_hours: float = Field(default=24 * 7, gt=0)
    # the proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed:
    # behind them, the client is the right-most address not theirs; none by default
    trusted_proxies: Annotated[list[Network], NoDecode] = Field(default_factory=list)

    # operations: logs as JSON lines (production) or for people (development); "auto" picks
    # by environment. Prometheus metrics on this port when set (off when unset)
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_requests: bool = True  # a line per request (`serve --no-access-log` turns it off)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"
    # where people reach the web UI (behind a proxy, its address, with a path if it has
    # one): the links in emails and those the command line prints start with it; by default
    # the server's own host and port. Never taken from a request's Host header, which its
    # sender chooses
    public_url: str | None = Field(default=None, pattern=r"^https?://[^/\s]+(/\S*)?$")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = [origin.strip() for origin in value.split(",") if origin.strip()]
        if isinstance(value, list):
            wrong = [o for o in value if o != "*" and not _ORIGIN.fullmatch(str(o))]
            if wrong:
                listed = ", ".join(map(str, wrong))
                raise ValueError(f"not an origin (scheme://host[:port]): {listed}")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            return [ipaddress.ip_network(str(v), strict=False) for v in value]
        return value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            if self.environment == "production":
                raise ValueError(
                    "STOCKKEEPER_DATABASE_URL must be set when STOCKKEEPER_ENVIRONMENT=production"
                )
            self.database_url = f"sqlite:///{self.data_dir / 'stockkeeper.db'}"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def web_link(self, path: str) -> str:
        """The address of one of the web UI's pages (``path`` starts with a slash)."""
        base = self.public_url or base_url(self.host, self.port)
        return f"{base.rstrip('/')}{path}"


def base_url(host: str, port: int) -> str:
    """The URL a client on this machine reaches the server at."""
    reach = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host)  # noqa: S104 (a name, no bind)
    if reach is None:
        reach = f"[{host}]" if ":" in host else host
    return f"http://{reach}:{port}"


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
