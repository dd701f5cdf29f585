"""Tests for bot/settings.py: defaults, each variable, the .env file and the hidden token."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import (
    DEFAULT_API_URL,
    Secret,
    Settings,
    SettingsError,
    configured_tips_dir,
    load_settings,
    terminal_language,
)

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def load(tmp_path: Path, dotenv: Path | None = None, **env: str) -> Settings:
    """Load settings from env alone (no .env unless given), with a database in tmp_path."""
    values = {"BOT_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path / "db" / "footcare.db")}
    values.update(env)
    return load_settings(values, dotenv=dotenv)


def test_defaults_without_any_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no variables and no token required, every setting takes its documented default."""
    monkeypatch.chdir(tmp_path)
    settings = load_settings({}, dotenv=None, require_token=False)
    assert settings == Settings(database_path=Path("data/footcare.db"))
    assert settings.bot_token == Secret("")
    assert settings.telegram_api_url == DEFAULT_API_URL
    assert settings.admin_ids == frozenset()
    assert settings.send_rate_limit == 25.0
    assert settings.paid_broadcast is False
    assert settings.log_level == "INFO"
    assert settings.catch_up_hours == 6.0
    assert settings.escalation_pain_threshold is None
    assert settings.escalation_days is None
    assert settings.tips_dir is None


def test_default_database_is_used_when_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """default_database applies when DATABASE_PATH is unset, and its folder is created."""
    monkeypatch.chdir(tmp_path)
    settings = load_settings({}, dotenv=None, require_token=False, default_database="x/demo.db")
    assert settings.database_path == Path("x/demo.db")
    assert (tmp_path / "x").is_dir()


def test_bot_token_is_read(tmp_path: Path) -> None:
    """BOT_TOKEN is kept as a Secret whose value can be revealed."""
    assert load(tmp_path).bot_token.reveal() == TOKEN


def test_missing_bot_token_is_an_error(tmp_path: Path) -> None:
    """Without BOT_TOKEN, a token-requiring load fails naming BOT_TOKEN."""
    with pytest.raises(SettingsError, match="BOT_TOKEN"):
        load_settings({"DATABASE_PATH": str(tmp_path / "f.db")}, dotenv=None)


@pytest.mark.parametrize("token", ["not-a-token", "abc:def", "987654:", "987 654:XYZ", '"1:A"'])
def test_malformed_bot_token_is_an_error_without_echoing_it(tmp_path: Path, token: str) -> None:
    """A token of the wrong shape fails naming BOT_TOKEN, and the message does not repeat it."""
    with pytest.raises(SettingsError, match="BOT_TOKEN") as caught:
        load(tmp_path, BOT_TOKEN=token)
    assert token not in str(caught.value)


def test_telegram_api_url_is_read(tmp_path: Path) -> None:
    """TELEGRAM_API_URL replaces the default and yields the /bot base URL."""
    settings = load(tmp_path, TELEGRAM_API_URL="http://127.0.0.1:8081/")
    assert settings.telegram_api_url == "http://127.0.0.1:8081/"
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"


def test_telegram_api_url_without_scheme_is_an_error(tmp_path: Path) -> None:
    """A URL without http(s):// fails naming TELEGRAM_API_URL."""
    with pytest.raises(SettingsError, match="TELEGRAM_API_URL"):
        load(tmp_path, TELEGRAM_API_URL="api.telegram.org")


def test_database_path_is_read_and_its_folder_created(tmp_path: Path) -> None:
    """DATABASE_PATH is used as given and missing parent folders are created."""
    target = tmp_path / "a" / "b" / "footcare.db"
    settings = load(tmp_path, DATABASE_PATH=str(target))
    assert settings.database_path == target
    assert target.parent.is_dir()
    assert not target.exists()


def test_database_path_under_a_file_is_an_error(tmp_path: Path) -> None:
    """A DATABASE_PATH whose folder cannot be created fails naming DATABASE_PATH."""
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(SettingsError, match="DATABASE_PATH"):
        load(tmp_path, DATABASE_PATH=str(blocker / "footcare.db"))


def test_database_path_that_is_a_directory_is_an_error(tmp_path: Path) -> None:
    """A DATABASE_PATH naming an existing folder fails naming DATABASE_PATH."""
    with pytest.raises(SettingsError, match="DATABASE_PATH"):
        load(tmp_path, DATABASE_PATH=str(tmp_path))


def test_admin_ids_with_spaces_are_read(tmp_path: Path) -> None:
    """ADMIN_IDS accepts comma-separated ids with spaces and empty parts."""
    settings = load(tmp_path, ADMIN_IDS=" 111, 222 ,,-333 ")
    assert settings.admin_ids == frozenset({111, 222, -333})


@pytest.mark.parametrize("raw", ["111;222", "alice", "111, 2x2"])
def test_malformed_admin_ids_is_an_error(tmp_path: Path, raw: str) -> None:
    """A non-numeric ADMIN_IDS entry fails naming ADMIN_IDS."""
    with pytest.raises(SettingsError, match="ADMIN_IDS"):
        load(tmp_path, ADMIN_IDS=raw)


def test_send_rate_limit_is_read(tmp_path: Path) -> None:
    """SEND_RATE_LIMIT is read as messages per second."""
    assert load(tmp_path, SEND_RATE_LIMIT="12.5").send_rate_limit == 12.5


@pytest.mark.parametrize("raw", ["fast", "0", "-3", "31"])
def test_malformed_send_rate_limit_is_an_error(tmp_path: Path, raw: str) -> None:
    """A non-number, non-positive or above-30 SEND_RATE_LIMIT fails naming the variable."""
    with pytest.raises(SettingsError, match="SEND_RATE_LIMIT"):
        load(tmp_path, SEND_RATE_LIMIT=raw)


def test_paid_broadcast_raises_the_rate_cap_to_1000(tmp_path: Path) -> None:
    """With PAID_BROADCAST=true, SEND_RATE_LIMIT may go up to 1000."""
    settings = load(tmp_path, PAID_BROADCAST="true", SEND_RATE_LIMIT="1000")
    assert settings.paid_broadcast is True
    assert settings.send_rate_limit == 1000.0


def test_paid_broadcast_cap_is_still_1000(tmp_path: Path) -> None:
    """Even with PAID_BROADCAST, a rate above 1000 fails naming SEND_RATE_LIMIT."""
    with pytest.raises(SettingsError, match="SEND_RATE_LIMIT"):
        load(tmp_path, PAID_BROADCAST="yes", SEND_RATE_LIMIT="1001")


def test_malformed_paid_broadcast_is_an_error(tmp_path: Path) -> None:
    """A PAID_BROADCAST that is not a boolean word fails naming the variable."""
    with pytest.raises(SettingsError, match="PAID_BROADCAST"):
        load(tmp_path, PAID_BROADCAST="maybe")


def test_log_level_is_read_case_insensitively(tmp_path: Path) -> None:
    """LOG_LEVEL is upper-cased."""
    assert load(tmp_path, LOG_LEVEL="debug").log_level == "DEBUG"


def test_malformed_log_level_is_an_error(tmp_path: Path) -> None:
    """An unknown LOG_LEVEL fails naming the variable."""
    with pytest.raises(SettingsError, match="LOG_LEVEL"):
        load(tmp_path, LOG_LEVEL="loud")


def test_catch_up_hours_is_read(tmp_path: Path) -> None:
    """CATCH_UP_HOURS is read as a number of hours."""
    assert load(tmp_path, CATCH_UP_HOURS="1.5").catch_up_hours == 1.5


@pytest.mark.parametrize("raw", ["soon", "0"])
def test_malformed_catch_up_hours_is_an_error(tmp_path: Path, raw: str) -> None:
    """A non-number or non-positive CATCH_UP_HOURS fails naming the variable."""
    with pytest.raises(SettingsError, match="CATCH_UP_HOURS"):
        load(tmp_path, CATCH_UP_HOURS=raw)


def test_escalation_pain_threshold_is_read(tmp_path: Path) -> None:
    """ESCALATION_PAIN_THRESHOLD is read as a whole number."""
    assert load(tmp_path, ESCALATION_PAIN_THRESHOLD="3").escalation_pain_threshold == 3


@pytest.mark.parametrize("raw", ["high", "7.5", "0", "5", "11"])
def test_malformed_escalation_pain_threshold_is_an_error(tmp_path: Path, raw: str) -> None:
    """A threshold that is not a whole number from 1 to the shipped 4 fails naming it."""
    with pytest.raises(SettingsError, match="ESCALATION_PAIN_THRESHOLD"):
        load(tmp_path, ESCALATION_PAIN_THRESHOLD=raw)


def test_escalation_days_is_read(tmp_path: Path) -> None:
    """ESCALATION_DAYS is read as a whole number."""
    assert load(tmp_path, ESCALATION_DAYS="14").escalation_days == 14


@pytest.mark.parametrize("raw", ["week", "0", "15", "200", "366"])
def test_malformed_escalation_days_is_an_error(tmp_path: Path, raw: str) -> None:
    """ESCALATION_DAYS outside 1..14 (calendar days) or not a number fails naming it."""
    with pytest.raises(SettingsError, match="ESCALATION_DAYS"):
        load(tmp_path, ESCALATION_DAYS=raw)


def test_tips_dir_and_escalation_rules_are_read(tmp_path: Path) -> None:
    """TIPS_DIR and ESCALATION_RULES become paths."""
    settings = load(tmp_path, TIPS_DIR="/app/tips", ESCALATION_RULES="rules.yaml")
    assert settings.tips_dir == Path("/app/tips")
    assert settings.escalation_rules == Path("rules.yaml")


def test_configured_tips_dir_reads_dotenv_and_environment(tmp_path: Path) -> None:
    """configured_tips_dir returns TIPS_DIR from .env, overridden by the environment."""
    dotenv = tmp_path / ".env"
    dotenv.write_text("TIPS_DIR=from-dotenv\n", encoding="utf-8")
    assert configured_tips_dir({}, dotenv=dotenv) == Path("from-dotenv")
    assert configured_tips_dir({"TIPS_DIR": "/app/tips"}, dotenv=dotenv) == Path("/app/tips")
    assert configured_tips_dir({}, dotenv=None) is None


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    """Values come from the .env file, with comments, export and quotes handled."""
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        f"# FootCare\n\nexport BOT_TOKEN='{TOKEN}'\nLOG_LEVEL = \"WARNING\"\nADMIN_IDS=7\n",
        encoding="utf-8",
    )
    settings = load_settings({"DATABASE_PATH": str(tmp_path / "footcare.db")}, dotenv=dotenv)
    assert settings.bot_token.reveal() == TOKEN
    assert settings.log_level == "WARNING"
    assert settings.admin_ids == frozenset({7})


def test_environment_overrides_dotenv(tmp_path: Path) -> None:
    """A variable set in the environment wins over the same one in .env."""
    dotenv = tmp_path / ".env"
    dotenv.write_text("LOG_LEVEL=WARNING\nSEND_RATE_LIMIT=5\n", encoding="utf-8")
    settings = load(tmp_path, dotenv=dotenv, LOG_LEVEL="ERROR")
    assert settings.log_level == "ERROR"
    assert settings.send_rate_limit == 5.0


def test_missing_dotenv_file_is_fine(tmp_path: Path) -> None:
    """A .env path that does not exist contributes nothing."""
    assert load(tmp_path, dotenv=tmp_path / "absent.env").log_level == "INFO"


def test_malformed_dotenv_line_reports_file_and_line(tmp_path: Path) -> None:
    """A .env line without KEY=VALUE is reported as file:line."""
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nLOG_LEVEL=INFO\nthis is not a setting\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\.env:3: expected KEY=VALUE") as caught:
        load(tmp_path, dotenv=dotenv)
    assert str(caught.value).startswith(f"{dotenv}:3:")


def test_token_never_appears_in_repr_or_str(tmp_path: Path) -> None:
    """Neither repr(settings) nor str(settings) nor an f-string shows the token or its secret."""
    settings = load(tmp_path)
    secret_part = TOKEN.partition(":")[2]
    for shown in (repr(settings), str(settings), f"{settings}", f"{settings.bot_token}"):
        assert TOKEN not in shown
        assert secret_part not in shown
    assert "**********" in repr(settings)


def test_health_endpoint_is_off_by_default_and_configurable(tmp_path: Path) -> None:
    """HEALTH_PORT unset or 0 means no endpoint; HEALTH_HOST defaults to loopback."""
    assert load(tmp_path).health_port == 0
    assert load(tmp_path).health_host == "127.0.0.1"
    assert load(tmp_path, HEALTH_PORT="0").health_port == 0
    settings = load(tmp_path, HEALTH_PORT="9100", HEALTH_HOST="10.0.0.5")
    assert (settings.health_port, settings.health_host) == (9100, "10.0.0.5")
    assert load(tmp_path, HEALTH_HOST="::").health_host == "::"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HEALTH_PORT": "http"}, "HEALTH_PORT must be a whole number, got 'http'"),
        ({"HEALTH_PORT": "70000"}, "HEALTH_PORT must be between 0 and 65535, got 70000"),
        ({"HEALTH_PORT": "-1"}, "HEALTH_PORT must be between 0 and 65535, got -1"),
        ({"HEALTH_HOST": "http://x"}, "HEALTH_HOST must be a host name or IP address"),
    ],
)
def test_bad_health_settings_name_the_variable(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    """A malformed HEALTH_PORT or HEALTH_HOST stops the bot with one line naming it."""
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, **env)
    assert str(caught.value).startswith(message)


def test_webhook_mode_is_off_by_default_and_configurable(tmp_path: Path) -> None:
    """No WEBHOOK_URL means polling; the listener defaults to 127.0.0.1:8080, no fixed secret."""
    settings = load(tmp_path)
    assert (settings.webhook_url, settings.webhook_host, settings.webhook_port) == (
        "",
        "127.0.0.1",
        8080,
    )
    assert not settings.webhook_secret
    settings = load(
        tmp_path,
        WEBHOOK_URL="https://bot.example.org:8443/telegram",
        WEBHOOK_HOST="0.0.0.0",  # noqa: S104 - a value to parse, nothing listens
        WEBHOOK_PORT="9000",
        WEBHOOK_SECRET="abc_DEF-123",
    )
    assert settings.webhook_url == "https://bot.example.org:8443/telegram"
    assert (settings.webhook_host, settings.webhook_port) == ("0.0.0.0", 9000)  # noqa: S104
    assert settings.webhook_secret == Secret("abc_DEF-123")
    assert "abc_DEF-123" not in repr(settings)


def test_a_local_bot_api_server_may_post_to_plain_http(tmp_path: Path) -> None:
    """Away from api.telegram.org (a local Bot API server), http:// and any port are allowed."""
    settings = load(
        tmp_path, TELEGRAM_API_URL="http://127.0.0.1:8081", WEBHOOK_URL="http://10.0.0.2:9000/h"
    )
    assert settings.webhook_url == "http://10.0.0.2:9000/h"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WEBHOOK_URL": "bot.example.org"}, "WEBHOOK_URL must be an http:// or https:// URL"),
        ({"WEBHOOK_URL": "http://bot.example.org/t"}, "WEBHOOK_URL must start with https://"),
        ({"WEBHOOK_URL": "https://bot.example.org:8080/t"}, "WEBHOOK_URL port must be one of"),
        ({"WEBHOOK_URL": "https://bot.example.org:x/t"}, "WEBHOOK_URL has a bad port"),
        ({"WEBHOOK_PORT": "0"}, "WEBHOOK_PORT must be between 1 and 65535, got 0"),
        ({"WEBHOOK_PORT": "web"}, "WEBHOOK_PORT must be a whole number, got 'web'"),
        ({"WEBHOOK_HOST": "a b"}, "WEBHOOK_HOST must be a host name or IP address"),
        ({"WEBHOOK_SECRET": "has space"}, "WEBHOOK_SECRET must be 1-256 characters"),
        ({"WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET must be 1-256 characters"),
    ],
)
def test_bad_webhook_settings_name_the_variable(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    """A malformed webhook setting stops the bot with one line naming it, never the secret."""
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, **env)
    assert str(caught.value).startswith(message)
    assert "has space" not in str(caught.value)


def test_a_less_cautious_override_says_what_ships(tmp_path: Path) -> None:
    """ESCALATION_DAYS=200 is refused in one line naming the variable and the limit."""
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, ESCALATION_DAYS="200")
    assert str(caught.value) == (
        "ESCALATION_DAYS must be between 1 and 14 (calendar days; the shipped 14, or lower to "
        "be more cautious), got 200"
    )


@pytest.mark.parametrize(
    ("env", "code"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh-cn"),
        ({"LANG": "zh_TW.UTF-8@stroke"}, "zh-tw"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "zh_SG.UTF-8"}, "zh-sg"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en-us"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": ""}, "zh-cn"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "POSIX"}, "en"),
        ({}, "en"),
    ],
)
def test_terminal_language_follows_the_posix_locale_order(env: dict[str, str], code: str) -> None:
    """LC_ALL, then LC_MESSAGES, then LANG, as Telegram would spell it; C or none is English."""
    assert terminal_language(env) == code
