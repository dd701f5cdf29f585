"""Tests for the share listener's settings: SHARE_HOST, SHARE_PORT, PUBLIC_URL, proxies."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def load(tmp_path: Path, **env: str) -> object:
    values = {"BOT_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path / "footcare.db"), **env}
    return load_settings(values, dotenv=None)


def test_sharing_is_off_by_default(tmp_path: Path) -> None:
    settings = load_settings(
        {"DATABASE_PATH": str(tmp_path / "f.db")}, dotenv=None, require_token=False
    )
    assert (settings.share_port, settings.public_url, settings.share_host) == (0, "", "127.0.0.1")
    assert settings.share_trusted_proxies == ()


def test_all_share_settings_are_read(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "DATABASE_PATH": str(tmp_path / "f.db"),
            "SHARE_HOST": "0.0.0.0",  # noqa: S104
            "SHARE_PORT": "8090",
            "PUBLIC_URL": "https://care.example.org/footcare/",
            "SHARE_TRUSTED_PROXIES": "10.0.0.5, 172.16.0.0/12,::1",
        },
        dotenv=None,
        require_token=False,
    )
    assert settings.share_host == "0.0.0.0"  # noqa: S104
    assert settings.share_port == 8090
    assert settings.public_url == "https://care.example.org/footcare"
    assert settings.share_trusted_proxies == (
        ipaddress.ip_network("10.0.0.5/32"),
        ipaddress.ip_network("172.16.0.0/12"),
        ipaddress.ip_network("::1/128"),
    )


def test_plain_http_only_on_this_machine(tmp_path: Path) -> None:
    for local in ("http://127.0.0.1:8090", "http://localhost:8090", "http://[::1]:8090"):
        settings = load_settings(
            {"DATABASE_PATH": str(tmp_path / "f.db"), "SHARE_PORT": "8090", "PUBLIC_URL": local},
            dotenv=None,
            require_token=False,
        )
        assert settings.public_url == local


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SHARE_PORT": "8090"}, "SHARE_PORT and PUBLIC_URL go together"),
        ({"PUBLIC_URL": "https://x.example"}, "SHARE_PORT and PUBLIC_URL go together"),
        ({"SHARE_PORT": "8090", "PUBLIC_URL": "http://x.example"}, "must start with https://"),
        ({"SHARE_PORT": "8090", "PUBLIC_URL": "ftp://x.example"}, "PUBLIC_URL must be"),
        ({"SHARE_PORT": "8090", "PUBLIC_URL": "https://x.example/?a=1"}, "no query"),
        ({"SHARE_PORT": "0", "PUBLIC_URL": "https://x.example"}, "SHARE_PORT must be between"),
        ({"SHARE_HOST": "a host"}, "SHARE_HOST must be a host name"),
        ({"SHARE_TRUSTED_PROXIES": "10.0.0.1, proxy"}, "SHARE_TRUSTED_PROXIES must be"),
    ],
)
def test_a_bad_share_setting_names_itself(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load(tmp_path, **env)
