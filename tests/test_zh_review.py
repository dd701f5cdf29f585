"""docs/clinical/zh-review.md covers every warning sign, every urgency and every other text of
an escalation, each with the Chinese the catalogue holds now, a back translation and a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

import bot
from bot.content.catalogs import packaged_catalogs
from bot.core import texts
from bot.core.escalation import Urgency
from bot.core.escalation_text import HEADLINES, red_flag_label
from bot.core.i18n import Language
from bot.core.warning_signs import SIGNS, RedFlag

REVIEW = Path(__file__).parent.parent / "docs" / "clinical" / "zh-review.md"
ZH = packaged_catalogs()[Language.ZH]
# Every text of an escalation and of the warning-sign list, and the diabetic foot check.
MODULES = ("core/warning_signs.py", "core/escalation_text.py", "core/care_words.py")
FOOT_CHECK = (texts.FOOT_CHECK, texts.FOOT_CHECK_YES, texts.FOOT_CHECK_UNWELL)


def rows() -> dict[str, list[str]]:
    """The review table's rows by their English cell: [Chinese, back translation, why]."""
    found = {}
    for line in REVIEW.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith(("| English", "|---")):
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            found[cells[0]] = cells[1:]
    return found


def escalation_msgids() -> list[str]:
    """Every msgid the escalation modules mark, in file order."""
    package = Path(bot.__file__).parent
    found = []
    for module in MODULES:
        extracted = extract_from_file(
            "python", package / module, keywords={**DEFAULT_KEYWORDS, "N_": None}
        )
        for _, msgid, _, _ in extracted:
            text = msgid if isinstance(msgid, str) else msgid[0]
            if text not in found:
                found.append(text)
    return [*found, *FOOT_CHECK]


ROWS = rows()


def shown(msgid: str) -> str:
    """The English cell of a msgid (the bare separator is quoted to be visible)."""
    return "“, ”" if msgid == ", " else msgid


def chinese(msgid: str) -> str:
    """The catalogue's Chinese for a msgid (a plural's one form; the separator quoted)."""
    if msgid == ", ":
        return "“；”"
    found = ZH.messages.get(msgid)
    return found[0] if isinstance(found, tuple) else ZH.gettext(msgid)


def test_the_review_is_marked_as_awaiting_a_native_speaking_clinician() -> None:
    assert "awaiting review by a native-speaking clinician" in REVIEW.read_text(encoding="utf-8")


@pytest.mark.parametrize("flag", [flag for flag in RedFlag if flag is not RedFlag.NONE])
def test_every_sign_is_reviewed_in_words_and_on_its_button(flag: RedFlag) -> None:
    en = packaged_catalogs()[Language.EN]
    for msgid in (SIGNS[flag].words, red_flag_label(en, flag)):
        assert msgid in ROWS, msgid
        assert ROWS[msgid][0] == ZH.gettext(msgid)


@pytest.mark.parametrize("urgency", list(Urgency))
def test_every_urgency_is_reviewed(urgency: Urgency) -> None:
    msgid = HEADLINES[urgency]
    assert msgid in ROWS, msgid
    assert ROWS[msgid][0] == ZH.gettext(msgid)


def test_every_escalation_text_has_its_current_chinese_a_back_translation_and_a_reason() -> None:
    """A text added, or a translation changed, without the review table fails here."""
    missing, stale, bare = [], [], []
    for msgid in escalation_msgids():
        row = ROWS.get(shown(msgid))
        if row is None:
            missing.append(msgid)
            continue
        if row[0] != chinese(msgid):
            stale.append((msgid, row[0], chinese(msgid)))
        if len(row) != 3 or not row[1] or not row[2]:
            bare.append(msgid)
    assert (missing, stale, bare) == ([], [], [])


# Issue 20 item 4: the Chinese words that changed how a reader triages a sign. Each sign's
# sentence and button must say the reworded meaning and never the word that misled.
TRIAGE_WORDS = {
    RedFlag.NUMBNESS: (("发麻", "针扎", "麻木"), ("刺痛", "感觉消失")),
    RedFlag.HOT_RED_SWOLLEN: (("发烫",), ("发热",)),
    RedFlag.COLD_FOOT: (("一只脚", "发白", "发紫"), ("发热",)),
    RedFlag.FEVER: (("发烧", "寒战", "很不舒服"), ("发热",)),
}


@pytest.mark.parametrize("flag", list(TRIAGE_WORDS))
def test_a_sign_that_misled_in_chinese_says_what_the_english_says(flag: RedFlag) -> None:
    """Tingling is 发麻/针扎感, not 刺痛 (ordinary first-step heel pain); loss of feeling is
    麻木/感觉变迟钝, not 感觉消失; hot is 发烫, never 发热 (fever); unwell is fever, chills or
    feeling very unwell."""
    en = packaged_catalogs()[Language.EN]
    wanted, never = TRIAGE_WORDS[flag]
    for msgid in (SIGNS[flag].words, red_flag_label(en, flag)):
        text = ZH.gettext(msgid)
        assert [w for w in wanted if w not in text] == [], (msgid, text)
        assert [w for w in never if w in text] == [], (msgid, text)


def test_feeling_unwell_on_the_foot_check_means_fever_chills_or_very_unwell() -> None:
    """The diabetic foot check's emergency answer is not mild malaise, in either language."""
    assert "fever or chills" in texts.FOOT_CHECK_UNWELL
    assert "very unwell" in texts.FOOT_CHECK_UNWELL
    text = ZH.gettext(texts.FOOT_CHECK_UNWELL)
    for word in ("发烧", "寒战", "很不舒服"):
        assert word in text
    assert "我感觉不舒服" not in text
