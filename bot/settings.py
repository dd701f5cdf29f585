"""Settings read once from the environment (and a .env file), validated, frozen."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.core.escalation import SHIPPED

DEFAULT_API_URL = "https://api.telegram.org"
MAX_FREE_RATE = 30.0  # Telegram's documented free broadcast ceiling, messages per second
MAX_PAID_RATE = 1000.0
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# Telegram delivers webhooks only to these ports of an HTTPS URL.
TELEGRAM_WEBHOOK_PORTS = (443, 80, 88, 8443)
# setWebhook's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Secret:
    """A string that never shows itself in a repr, str or f-string."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value; call only where it is really needed."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    """Everything the bot can be configured with. See the README's table."""

    bot_token: Secret = field(default_factory=lambda: Secret(""))
    telegram_api_url: str = DEFAULT_API_URL
    database_path: Path = Path("data/footcare.db")
    admin_ids: frozenset[int] = frozenset()
    send_rate_limit: float = 25.0
    paid_broadcast: bool = False
    log_level: str = "INFO"
    catch_up_hours: float = 6.0
    escalation_rules: Path | None = None
    escalation_pain_threshold: int | None = None
    escalation_days: int | None = None
    tips_dir: Path | None = None
    health_port: int = 0  # 0: no health/metrics endpoint
    health_host: str = "127.0.0.1"
    # Webhook mode when set: the public URL Telegram POSTs updates to (through a TLS proxy).
    webhook_url: str = ""
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080
    # Empty: a fresh random secret is registered at every start (see the README).
    webhook_secret: Secret = field(default_factory=lambda: Secret(""))
    # The clinician share pages (issue 24): off unless SHARE_PORT and PUBLIC_URL are set.
    share_host: str = "127.0.0.1"
    share_port: int = 0
    public_url: str = ""
    share_trusted_proxies: tuple[IPNetwork, ...] = ()

    @property
    def api_base_url(self) -> str:
        """Return the base URL in python-telegram-bot's terms (the token is appended)."""
        return f"{self.telegram_api_url.rstrip('/')}/bot"


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse a simple KEY=VALUE .env file; missing file means no values."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return values
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror}") from exc
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :]
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"{path}:{number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not value > 0:
        raise SettingsError(f"{name} must be greater than 0, got {raw!r}")
    return value


def _int(env: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _cautious(env: Mapping[str, str], name: str, shipped: int, unit: str) -> int | None:
    """Read an escalation override: a whole number from 1 up to the shipped value."""
    raw = env.get(name, "").strip()
    if raw.lstrip("-").isdigit() and int(raw) > shipped:
        raise SettingsError(
            f"{name} must be between 1 and {shipped} ({unit}; the shipped {shipped}, or lower to "
            f"be more cautious), got {int(raw)}"
        )
    return _int(env, name, 1, shipped)


def _bool(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise SettingsError(
                f"ADMIN_IDS must be comma-separated Telegram user ids, got {part!r}"
            )
        ids.add(int(part))
    return frozenset(ids)


def _is_ipv6(host: str) -> bool:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def _host(env: Mapping[str, str], name: str) -> str:
    host = env.get(name, "").strip() or "127.0.0.1"
    if any(c.isspace() or c in "/:" for c in host) and not _is_ipv6(host):
        raise SettingsError(f"{name} must be a host name or IP address, got {host!r}")
    return host


def _webhook_url(raw: str, api_url: str) -> str:
    """Check WEBHOOK_URL; Telegram itself only posts to HTTPS on a few ports."""
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"WEBHOOK_URL must be an http:// or https:// URL, got {raw!r}")
    if api_url.rstrip("/") != DEFAULT_API_URL:
        # A local Bot API server (or the sandbox) may post to plain HTTP on any port.
        return raw
    if parts.scheme != "https":
        raise SettingsError(f"WEBHOOK_URL must start with https:// for Telegram, got {raw!r}")
    try:
        port = parts.port or 443
    except ValueError:
        raise SettingsError(f"WEBHOOK_URL has a bad port, got {raw!r}") from None
    if port not in TELEGRAM_WEBHOOK_PORTS:
        allowed = ", ".join(map(str, TELEGRAM_WEBHOOK_PORTS))
        raise SettingsError(f"WEBHOOK_URL port must be one of {allowed} for Telegram, got {port}")
    return raw


def _webhook_secret(raw: str) -> Secret:
    # The message never echoes the secret.
    if raw and not _WEBHOOK_SECRET.fullmatch(raw):
        raise SettingsError(
            "WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)"
        )
    return Secret(raw)


def _public_url(raw: str) -> str:
    """Check PUBLIC_URL, the address people open share links at (behind the TLS proxy)."""
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"PUBLIC_URL must be an https:// URL, got {raw!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise SettingsError(f"PUBLIC_URL must have no query, fragment or password, got {raw!r}")
    local = parts.hostname == "localhost" or (
        _is_ip(parts.hostname) and ipaddress.ip_address(parts.hostname).is_loopback
    )
    # Health data over plain HTTP only on the machine itself (a local try-out).
    if parts.scheme != "https" and not local:
        raise SettingsError(f"PUBLIC_URL must start with https://, got {raw!r}")
    return raw.rstrip("/")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _networks(env: Mapping[str, str], name: str) -> tuple[IPNetwork, ...]:
    networks = []
    for part in env.get(name, "").split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip()))
        except ValueError:
            raise SettingsError(
                f"{name} must be comma-separated IP addresses or networks, got {part.strip()!r}"
            ) from None
    return tuple(networks)


def _check_token(token: str) -> None:
    # BotFather tokens look like 123456789:AA...; checking the shape catches pasted quotes
    # and spaces early. The message never echoes the token.
    head, sep, tail = token.partition(":")
    if not sep or not head.isdigit() or not tail or any(c.isspace() for c in token):
        raise SettingsError("BOT_TOKEN does not look like a bot token (expected 123456:ABC...)")


def _database_path(raw: str, default: str) -> Path:
    path = Path(raw or default)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"DATABASE_PATH {str(path)!r} is not writable: {exc.strerror}"
        raise SettingsError(message) from None
    target = path if path.exists() else path.parent
    if path.exists() and path.is_dir():
        raise SettingsError(f"DATABASE_PATH {str(path)!r} is a directory, not a file")
    if not os.access(target, os.W_OK):
        raise SettingsError(f"DATABASE_PATH {str(path)!r} is not writable")
    return path


def configured_tips_dir(
    environ: Mapping[str, str] | None = None, *, dotenv: Path | None = Path(".env")
) -> Path | None:
    """Return TIPS_DIR from the .env file and environment, or None; for the `tips` commands."""
    env: dict[str, str] = read_dotenv(dotenv) if dotenv is not None else {}
    env.update(os.environ if environ is None else environ)
    tips = env.get("TIPS_DIR", "").strip()
    return Path(tips) if tips else None


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    dotenv: Path | None = Path(".env"),
    require_token: bool = True,
    default_database: str = "data/footcare.db",
) -> Settings:
    """Build Settings from a .env file overlaid by the environment; raise SettingsError."""
    env: dict[str, str] = read_dotenv(dotenv) if dotenv is not None else {}
    env.update(os.environ if environ is None else environ)

    token = env.get("BOT_TOKEN", "").strip()
    if require_token:
        if not token:
            raise SettingsError("BOT_TOKEN is not set (get one from @BotFather)")
        _check_token(token)

    api_url = env.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(
            f"TELEGRAM_API_URL must start with http:// or https://, got {api_url!r}"
        )

    paid = _bool(env, "PAID_BROADCAST")
    rate = _float(env, "SEND_RATE_LIMIT", 25.0)
    ceiling = MAX_PAID_RATE if paid else MAX_FREE_RATE
    if rate > ceiling:
        hint = "" if paid else " (set PAID_BROADCAST=true to go up to 1000)"
        raise SettingsError(f"SEND_RATE_LIMIT must be at most {ceiling:g}, got {rate:g}{hint}")

    level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")

    rules = env.get("ESCALATION_RULES", "").strip()
    tips = env.get("TIPS_DIR", "").strip()
    share_port = _int(env, "SHARE_PORT", 1, 65535) or 0
    public_url = _public_url(env.get("PUBLIC_URL", "").strip())
    if bool(share_port) != bool(public_url):
        raise SettingsError("SHARE_PORT and PUBLIC_URL go together: set both or neither")
    return Settings(
        bot_token=Secret(token),
        telegram_api_url=api_url,
        database_path=_database_path(env.get("DATABASE_PATH", "").strip(), default_database),
        admin_ids=_admin_ids(env.get("ADMIN_IDS", "")),
        send_rate_limit=rate,
        paid_broadcast=paid,
        log_level=level,
        catch_up_hours=_float(env, "CATCH_UP_HOURS", 6.0),
        escalation_rules=Path(rules) if rules else None,
        # Only as cautious as the shipped rules, or more: a threshold of at most 4, at most
        # 14 calendar days of unimproved pain (the NHS's two weeks).
        escalation_pain_threshold=_cautious(
            env, "ESCALATION_PAIN_THRESHOLD", SHIPPED.threshold, "pain score"
        ),
        escalation_days=_cautious(env, "ESCALATION_DAYS", SHIPPED.persistent_days, "calendar days"),
        tips_dir=Path(tips) if tips else None,
        health_port=_int(env, "HEALTH_PORT", 0, 65535) or 0,
        health_host=_host(env, "HEALTH_HOST"),
        webhook_url=_webhook_url(env.get("WEBHOOK_URL", "").strip(), api_url),
        webhook_host=_host(env, "WEBHOOK_HOST"),
        webhook_port=_int(env, "WEBHOOK_PORT", 1, 65535) or 8080,
        webhook_secret=_webhook_secret(env.get("WEBHOOK_SECRET", "").strip()),
        share_host=_host(env, "SHARE_HOST"),
        share_port=share_port,
        public_url=public_url,
        share_trusted_proxies=_networks(env, "SHARE_TRUSTED_PROXIES"),
    )


# The POSIX order: LC_ALL overrides LC_MESSAGES, which overrides LANG.
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def terminal_language(environ: Mapping[str, str] | None = None) -> str:
    """Return the terminal's language as Telegram would send it ("zh_CN.UTF-8" -> "zh-cn"),
    "en" when unset or C/POSIX; for the demo, which chats in the terminal's language."""
    env = os.environ if environ is None else environ
    value = next((env[name] for name in _LOCALE_VARIABLES if env.get(name, "").strip()), "")
    # Drop the encoding and modifier: "zh_TW.UTF-8@stroke" -> "zh_TW".
    code = value.strip().split(".", 1)[0].split("@", 1)[0].replace("_", "-").lower()
    return "en" if code in ("", "c", "posix") else code
