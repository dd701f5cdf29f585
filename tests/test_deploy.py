"""The deploy examples: the systemd unit passes systemd-analyze verify, and the compose smoke
test's override fits the shipped compose file. (The compose file itself runs in
deploy/compose-smoke-test.sh, `make image-test`, where a Docker daemon runs.)"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.sandbox import SANDBOX_TOKEN

ROOT = Path(__file__).parents[1]
DEPLOY = ROOT / "deploy"
needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)


def verify(unit: Path) -> subprocess.CompletedProcess[str]:
    """Run deploy/verify-systemd-unit.sh on a unit file."""
    return subprocess.run(  # noqa: S603 (our own script, a path we made)
        [str(DEPLOY / "verify-systemd-unit.sh"), str(unit)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_systemd
def test_the_systemd_unit_passes_systemd_analyze_verify() -> None:
    result = verify(DEPLOY / "footcare.service")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok   - systemd-analyze verify")


@needs_systemd
def test_a_unit_with_a_wrong_directive_fails(tmp_path: Path) -> None:
    """verify only warns about a bad directive; the script counts any warning as a failure."""
    broken = tmp_path / "footcare.service"
    text = (DEPLOY / "footcare.service").read_text(encoding="utf-8")
    broken.write_text(text.replace("Restart=on-failure", "Restart=sometimes"), encoding="utf-8")
    result = verify(broken)
    assert result.returncode == 1
    assert "restart specifier" in result.stderr


def test_the_smoke_override_puts_the_shipped_compose_in_webhook_mode_against_the_sandbox() -> None:
    """The override names the example's bot service, and the token the smoke test writes is
    the one the sandbox accepts."""
    example = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    override = yaml.safe_load((DEPLOY / "compose-smoke.yml").read_text(encoding="utf-8"))
    assert set(override["services"]) == {"bot", "telegram"}
    assert "bot" in example["services"]
    bot = override["services"]["bot"]
    assert bot["environment"]["WEBHOOK_URL"].startswith("http://bot:")
    port = example["services"]["bot"]["environment"]["WEBHOOK_PORT"]
    assert bot["environment"]["WEBHOOK_URL"] == f"http://bot:{port}/telegram"
    probe = " ".join(override["services"]["telegram"]["healthcheck"]["test"])
    assert f"/bot{SANDBOX_TOKEN}/getMe" in probe
    script = (DEPLOY / "compose-smoke-test.sh").read_text(encoding="utf-8")
    assert re.search(rf"BOT_TOKEN={re.escape(SANDBOX_TOKEN)}\\n", script)
