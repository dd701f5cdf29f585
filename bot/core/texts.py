"""Every user-facing sentence of the bot, as English msgids of the gettext catalogue.

Functions take the reader's Translator; constants are msgids marked with N_ and translated
where they are shown (t.gettext(texts.X)). Admin texts stay English (issue 12, item 6).
The word "doctor" (医生 in Chinese) is reserved for escalation messages
(bot/core/escalation_text.py), so that nothing routine can be mistaken for, or dilute, the one
message that says to get seen.

This one module is longer than the ~400-line guide on purpose: it is the catalogue's source,
read whole by translators (`make messages` extracts it) and by the test that enumerates every
sentence it can produce; splitting it by area would let a new file escape that test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType

from bot.core.escalation import PainDuration
from bot.core.i18n import N_, Translator

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Subscribe and set up your daily tip")),
    ("tip", N_("Get a foot-care tip now")),
    ("checkin", N_("Record today's pain (0-10)")),
    ("warning", N_("Report a warning sign (snap, can't walk, numb...)")),
    ("settings", N_("Your time, time zone and pause")),
    ("time", N_("Set your daily time, e.g. /time 08:30")),
    ("timezone", N_("Set your time zone, e.g. /timezone Europe/London")),
    ("country", N_("Your country, for the right emergency numbers, e.g. /country DE")),
    ("language", N_("Choose your language: English or Chinese")),
    ("history", N_("Your pain chart for the last 30 days")),
    ("record", N_("My record: a summary to show a health professional")),
    ("pause", N_("Pause daily messages for N days, e.g. /pause 3")),
    ("resume", N_("Resume daily messages")),
    ("share", N_("Share your record with a health professional (a private link)")),
    ("shares", N_("Your share links: who opened them; withdraw them")),
    ("export", N_("Download everything stored about you (CSV)")),
    ("delete", N_("Delete all your data")),
    ("stop", N_("Unsubscribe from daily messages")),
    ("help", N_("What this bot does and its commands")),
)

DISCLAIMER = N_(
    "FootCare shares general self-care information. It is not medical advice and cannot "
    "diagnose you."
)


SCOPE = N_(
    "FootCare is for adults. A child's or teenager's heel pain should be checked by a GP "
    "(family physician) rather than managed with these tips."
)


def welcome(t: Translator, first_name: str) -> str:
    """Greet a new subscriber and say what comes next."""
    if first_name:
        hello = t.gettext("Hi, {name}! I'm FootCare.").format(name=first_name)
    else:
        hello = t.gettext("Hi! I'm FootCare.")
    body = t.gettext(
        "I help with heel and foot pain from exercise, such as plantar fasciitis and "
        "Achilles pain.\n\n"
        "Every day, at a time you choose, I'll send you one short, sourced self-care tip and "
        "ask how your pain is on a 0-10 scale. If your pain stays high or a warning sign "
        "appears, I'll tell you plainly to get it checked."
    )
    ask = t.gettext("First: which time zone are you in? Tap one, or type it like Europe/London.")
    return f"{hello}{t.gap}{body}\n\n{t.gettext(SCOPE)}\n{t.gettext(DISCLAIMER)}\n\n{ask}"


def already_subscribed(t: Translator, zone: str, at: str) -> str:
    """Answer /start from someone already subscribed."""
    return t.gettext(
        "You're already subscribed: your daily tip and check-in come at {at} ({zone}).\n"
        "Send /settings to change that, or /help to see everything I can do."
    ).format(at=at, zone=zone)


def welcome_back(t: Translator, zone: str, at: str) -> str:
    """Greet a returning (previously stopped) user."""
    return t.gettext(
        "Welcome back! Your daily tip and check-in are on again at {at} ({zone}).\n"
        "Send /settings to change the time or time zone."
    ).format(at=at, zone=zone)


ASK_TIMEZONE_TYPED = N_(
    "Type your time zone as Area/City, for example Europe/London or Asia/Kolkata."
)


ASK_COUNTRY = N_(
    "Which country are you in? I use it to give you the right emergency numbers. Tap yours, "
    "or Other if it isn't there."
)
ASK_TIME = N_(
    "What time of day would you like your tip and check-in? Tap one, or type it as HH:MM "
    "(24-hour clock)."
)


def timezone_set(t: Translator, zone: str) -> str:
    """Confirm a time zone during onboarding and ask which country the user is in."""
    head = t.gettext("Time zone set to {zone}.").format(zone=zone)
    return f"{head}{t.gap}{t.gettext(ASK_COUNTRY)}"


def bad_timezone(t: Translator, text: str, suggestions: Sequence[str]) -> str:
    """Explain that a typed zone is unknown, with close matches when there are some."""
    shown = text.strip()[:40]
    if suggestions:
        return t.gettext(
            'I don\'t know the time zone "{zone}". Did you mean one of these? '
            "Tap it, or type Area/City again."
        ).format(zone=shown)
    return t.gettext(
        'I don\'t know the time zone "{zone}". Please type it as Area/City, for example '
        "Europe/London, America/New_York or Australia/Sydney."
    ).format(zone=shown)


def bad_time(t: Translator, text: str) -> str:
    """Explain the expected time format."""
    shown = text.strip()[:20]
    return t.gettext(
        '"{text}" isn\'t a time I understand. Please use HH:MM, for example 08:30 or 19:00.'
    ).format(text=shown)


ASK_DIABETES = N_(
    "One optional question: do you have diabetes? Foot pain matters more with diabetes, so "
    "I'd suggest getting checked sooner. You can skip this."
)


def onboarding_done(t: Translator, zone: str, at: str, first_day: date) -> str:
    """Finish onboarding: say when the first daily message comes."""
    return t.gettext(
        "All set. Your first tip and check-in arrive on {day} at {at} ({zone}).\n\n"
        "Can't wait? Send /tip for a tip now or /checkin to record today's pain. /help lists "
        "everything."
    ).format(day=t.date(first_day, "long"), at=at, zone=zone)


def schedule_changed(t: Translator, zone: str, at: str, first_day: date) -> str:
    """Confirm a change of daily time or zone."""
    return t.gettext(
        "Done. Your daily tip and check-in now come at {at} ({zone}), next on {day}."
    ).format(at=at, zone=zone, day=t.date(first_day, "long"))


def zone_changed(t: Translator, zone: str, at: str, first_day: date) -> str:
    """Confirm a change of time zone after onboarding and ask the country again."""
    return f"{schedule_changed(t, zone, at, first_day)}\n\n{t.gettext(ASK_COUNTRY)}"


COUNTRY_NOT_SET = N_('not set; emergency advice will say "your local emergency number"')


def country_label(t: Translator, country: str | None, *, from_zone: bool) -> str:
    """Name the user's country for /settings and /country, saying where it came from."""
    if not country:
        return t.gettext(COUNTRY_NOT_SET)
    if from_zone:
        return t.gettext("{country} (from your time zone)").format(country=country)
    return country


def _yes_no(t: Translator, answer: bool | None) -> str:
    if answer is None:
        return t.gettext("not answered")
    return t.gettext("yes") if answer else t.gettext("no")


def settings_summary(
    t: Translator,
    zone: str,
    at: str,
    paused_until: date | None,
    status: str,
    has_diabetes: bool | None,
    *,
    weekly: bool = True,
    weekly_day: int = 6,
    country: str | None = None,
    pain: str | None = None,
) -> str:
    """Show the user's settings (country: a label from country_label; None: not set; pain: a
    label from pain_label; None: not answered)."""
    if status == "stopped":
        state = t.gettext("unsubscribed (send /start to subscribe again)")
    elif paused_until is not None:
        state = t.gettext("paused; messages resume on {day}").format(
            day=t.date(paused_until, "long")
        )
    else:
        state = t.gettext("on")
    if weekly:
        chart = t.gettext("on (every {weekday})").format(weekday=t.weekday(weekly_day))
    else:
        chart = t.gettext("off")
    return t.gettext(
        "Your settings\n"
        "• Daily time: {at}\n"
        "• Time zone: {zone}\n"
        "• Country: {country}\n"
        "• Daily messages: {state}\n"
        "• Diabetes: {diabetes}\n"
        "• How long the pain had gone on: {pain}\n"
        "• Weekly summary chart: {chart}\n\n"
        "Change them with the buttons, or with /time HH:MM, /timezone Area/City and /country."
    ).format(
        at=at,
        zone=zone,
        country=country or t.gettext(COUNTRY_NOT_SET),
        state=state,
        diabetes=_yes_no(t, has_diabetes),
        pain=pain or t.gettext("not answered"),
        chart=chart,
    )


def help_text(t: Translator) -> str:
    """List the commands."""
    lines = [t.gettext("FootCare sends one foot-care tip and a pain check-in every day."), ""]
    lines += [f"/{name} - {t.gettext(description)}" for name, description in COMMANDS]
    lines += ["", t.gettext(SCOPE), "", t.gettext(DISCLAIMER)]
    return "\n".join(lines)


STOPPED = N_(
    "You're unsubscribed: no more daily tips or check-ins. Your history is kept; send /start "
    "any time to come back."
)
NOT_SUBSCRIBED = N_("You're not subscribed yet. Send /start to begin.")
UNKNOWN_COMMAND = N_("Sorry, I don't know that command. Send /help to see what I can do.")
FREE_TEXT = N_(
    "I can't reply to messages, but I'm here every day. Send /checkin to record your pain, "
    "/tip for a tip, or /help for everything else."
)
EDITED = N_(
    "I only read new messages, so that edit changed nothing. Please send it again as a new message."
)
CHECKIN_HINT = N_(
    "Please send a number from 0 (no pain) to 10 (worst imaginable), or tap a button above."
)
ERROR = N_("Sorry, something went wrong on my side. Please try again in a moment.")
# A full disk or a read-only database (bot/store/base.py). It does not say "nothing was
# recorded": an action of several transactions (a check-in, then its escalation) may have kept
# its first; trying again is safe, the same answer replaces itself.
STORAGE_UNAVAILABLE = N_("I can't save anything right now. Please try again later.")
STALE_BUTTON = N_("That button no longer works. Send /help to see what I can do.")

CHECKIN_QUESTION = N_("How is your heel/foot pain today?\n0 = no pain, 10 = worst pain imaginable.")


def checkin_prompt(t: Translator, day: date) -> str:
    """Ask for the day's pain score."""
    head = t.gettext("Check-in for {day}").format(day=t.date(day, "short"))
    return f"{head}\n{t.gettext(CHECKIN_QUESTION)}"


def _band(t: Translator, score: int) -> str:
    if score == 0:
        return t.gettext("no pain")
    if score <= 3:
        return t.gettext("mild")
    if score <= 6:
        return t.gettext("moderate")
    return t.gettext("severe")


def checkin_recorded(t: Translator, day: date, score: int, streak: int) -> str:
    """Acknowledge a score (replaces the prompt's text)."""
    text = t.gettext("Check-in for {day}: {score}/10 ({band}). Recorded, thank you.").format(
        day=t.date(day, "short"), score=score, band=_band(t, score)
    )
    if streak >= 3:
        row = t.ngettext(
            "That's {n} day in a row of check-ins.",
            "That's {n} days in a row of check-ins.",
            streak,
        )
        text += "\n" + row.format(n=streak)
    return text


def checkin_toast(t: Translator, score: int) -> str:
    """Confirm a pressed score at once, in the button's own notice."""
    return t.gettext("Recorded: {score}/10").format(score=score)


def checkin_replaced(t: Translator, day: date, old: int, score: int) -> str:
    """Say that a second answer the same day replaced the first."""
    return t.gettext("Check-in for {day} updated from {old} to {score}/10 ({band}).").format(
        day=t.date(day, "short"), old=old, score=score, band=_band(t, score)
    )


CHECKIN_CLOSED = N_("That check-in has closed. Send /checkin to record today's pain.")

RED_FLAG_CLOSED = N_("That question has closed. Send /warning to answer it for today.")


def tip_message(t: Translator, text: str, source: str) -> str:
    """Format a tip with its source."""
    return t.gettext("Today's foot-care tip\n\n{text}\n\nSource: {source}").format(
        text=text, source=source
    )


def paused(t: Translator, until: date) -> str:
    """Confirm a pause."""
    return t.gettext(
        "Paused. No daily messages until {day}; send /resume to restart sooner. "
        "You can still use /checkin and /tip."
    ).format(day=t.date(until, "long"))


PAUSE_USAGE = N_("Use /pause followed by a number of days from 1 to 30, for example /pause 3.")
RESUMED = N_("Resumed: your daily tip and check-in are back on.")
NOT_PAUSED = N_("Your daily messages aren't paused. /pause N pauses them for N days.")
TIME_USAGE = N_("Use /time followed by a time, for example /time 08:30.")
TIMEZONE_USAGE = N_("Use /timezone followed by Area/City, for example /timezone Europe/London.")


CHOOSE_WEEKDAY = N_("On which day would you like your weekly summary chart?")


def weekly_toggled(t: Translator, enabled: bool, weekday: int = 6) -> str:
    """Confirm the weekly summary setting."""
    if enabled:
        return t.gettext(
            "Weekly summary on: every {weekday} at your daily time you'll get your week's chart."
        ).format(weekday=t.weekday(weekday))
    return t.gettext("Weekly summary off. Send /history any time to see your chart.")


CHOOSE_TIME = N_("Choose a new daily time, or type it as HH:MM.")
CHOOSE_ZONE = N_("Choose your time zone, or type it as Area/City.")

# --- the user's language -----------------------------------------------------------------------

CHOOSE_LANGUAGE = N_("Which language should I use?")
# Translators: the answer to choosing this catalogue's language; name that language.
LANGUAGE_SET = N_("From now on I'll write in English.")
# After a language chosen before /start.
NOW_START = N_("Send /start to begin.")
TRADITIONAL_NOT_AVAILABLE = N_(
    "Traditional Chinese is not available yet, so I'll write in Simplified Chinese."
)

# --- the user's country ----------------------------------------------------------------------

COUNTRY_HOW = N_(
    "Send /country followed by your country's name or two-letter code, for example /country DE "
    "or /country Germany. If yours isn't in my list, send /country other."
)
ASK_COUNTRY_TYPED = N_("Type your country's name or two-letter code, for example Germany or DE.")
COUNTRY_HOW_TYPED = N_(
    "Type your country's name or two-letter code, for example Germany or DE. If yours isn't in "
    "my list, type other."
)
# Typed for "not in the list", in any language the bot speaks (not shown, so not translated).
COUNTRY_OTHER_WORDS = ("other", "none", "not listed", "unlisted", "其他", "没有", "不在列表")
COUNTRY_NOT_LISTED = N_(
    "Noted: your country isn't in my list. If your foot needs emergency care, I'll say to call "
    "your local emergency number. Send /country to change this."
)


def country_status(t: Translator, label: str) -> str:
    """Answer /country alone: the current country and how to change it."""
    return (
        t.gettext(
            "Your country: {country}.\nI use it to give you the right emergency numbers if your "
            "foot ever needs urgent care."
        ).format(country=label)
        + f"\n\n{t.gettext(COUNTRY_HOW)}"
    )


def choose_country(t: Translator, label: str) -> str:
    """Offer the country choices behind the /settings button."""
    return t.gettext(
        'Your country: {country}.\nTap one below, or choose "Type it" to name your country.'
    ).format(country=label)


def country_set(
    t: Translator, name: str, emergency: str, urgent: str | None, urgent_name: str | None
) -> str:
    """Confirm a country with the numbers it gives, so the user can see they are right."""
    if urgent is not None and urgent_name is not None:
        return t.gettext(
            "Country set to {country}. If your foot needs emergency care, I'll say to call "
            "{emergency}, and {service} on {urgent} for urgent advice. Send /country to "
            "change it."
        ).format(country=name, emergency=emergency, service=urgent_name, urgent=urgent)
    return t.gettext(
        "Country set to {country}. If your foot needs emergency care, I'll say to call "
        "{emergency}. Send /country to change it."
    ).format(country=name, emergency=emergency)


def country_unknown(t: Translator, text: str) -> str:
    """Explain that a typed country is not one FootCare knows, and how to answer."""
    shown = text.strip()[:40]
    head = t.gettext('I don\'t know the country "{country}".').format(country=shown)
    return f"{head}{t.gap}{t.gettext(COUNTRY_HOW)}"


def diabetes_answered(t: Translator, answer: str) -> str:
    """Replace the diabetes question with the answer given."""
    shown = {"yes": t.gettext("yes"), "no": t.gettext("no")}.get(answer, t.gettext("skipped"))
    return f"{t.gettext(ASK_DIABETES)}\n\n" + t.gettext("Your answer: {answer}.").format(
        answer=shown
    )


DIABETES_THANKS = N_("Thanks, noted. You can change this in /settings.")

ASK_PAIN_DURATION = N_(
    "How long has your heel or foot pain gone on? It helps me tell sooner when to suggest "
    "getting it checked. You can skip this."
)
PAIN_DURATIONS: Mapping[PainDuration, str] = MappingProxyType(
    {
        PainDuration.UNDER_6_WEEKS: N_("Under 6 weeks"),
        PainDuration.WEEKS_6_TO_MONTHS_3: N_("6 weeks to 3 months"),
        PainDuration.MONTHS_3_TO_12: N_("3 to 12 months"),
        PainDuration.OVER_A_YEAR: N_("Over a year"),
    }
)


def pain_label(t: Translator, duration: PainDuration | None, day: date | None) -> str:
    """Name the user's answer about how long the pain had gone on, and when they gave it."""
    if duration is None or day is None:
        return t.gettext("not answered")
    return t.gettext("{duration} (as of {day})").format(
        duration=t.gettext(PAIN_DURATIONS[duration]), day=t.date(day, "long")
    )


def pain_answered(t: Translator, duration: PainDuration | None) -> str:
    """Replace the pain-duration question with the answer given."""
    shown = t.gettext("skipped") if duration is None else t.gettext(PAIN_DURATIONS[duration])
    return f"{t.gettext(ASK_PAIN_DURATION)}\n\n" + t.gettext("Your answer: {answer}.").format(
        answer=shown
    )


RED_FLAG_NONE = N_(
    "Thanks, none of those. Keep to the advice above and your daily tips, and send /warning "
    "at once if a warning sign appears."
)
FOOT_CHECK = N_(
    "Weekly foot check (because you told me you have diabetes). Look at both feet: is there "
    "any new wound or blister, a change of colour, swelling, a patch that feels hot or cold to "
    "the touch, or loss of feeling?"
)
FOOT_CHECK_YES = N_("Yes, one of these")
# With diabetes this is an emergency, so it must not catch mild malaise (issue 20).
FOOT_CHECK_UNWELL = N_("Yes, and I have a fever or chills or feel very unwell")
FOOT_CHECK_NO = N_("No, my feet look fine")
WARNING_BUTTON = N_("Warning sign")


def red_flag_answered(t: Translator, label: str) -> str:
    """Replace the red-flag question with the answer given."""
    return t.gettext("You answered: {answer}.").format(answer=label)


# --- admin (English: admin messages may stay in the admin's language) ---------------------

BROADCAST_USAGE = (
    "Send /broadcast followed by the text, or reply to a message with /broadcast to send "
    "that message's text with its formatting. Put en or zh first (/broadcast zh ...) to "
    "send only to subscribers who read that language."
)
BROADCAST_EMPTY = "There is nobody to send to: no active subscribers."
BROADCAST_ALREADY = "This broadcast was already started or cancelled; nothing more was sent."
BROADCAST_NONE_RUNNING = "No broadcast is running."


def broadcast_preview(
    text: str,
    recipients: int,
    by_language: tuple[tuple[str, int], ...] = (),
    language: str | None = None,
) -> str:
    """Show an admin what would be sent, to how many, and how many each language has."""
    if not by_language:
        return f"Broadcast preview ({recipients} active subscribers):\n\n{text}"
    counts = ", ".join(f"{code} {n}" for code, n in by_language)
    target = f"{language} only" if language else "all languages"
    return (
        f"Broadcast preview ({recipients} active subscribers, {target}; "
        f"by language: {counts}):\n\n{text}"
    )


def broadcast_send_label(recipients: int) -> str:
    """Label the confirm button."""
    return f"Send to {recipients} subscribers"


def broadcast_cancelled_preview() -> str:
    """Replace a cancelled preview."""
    return "Broadcast cancelled. Nothing was sent."


def broadcast_progress(sent: int, blocked: int, failed: int, total: int) -> str:
    """Report a running broadcast."""
    done = sent + blocked + failed
    return (
        f"Broadcasting: {done} of {total} handled\n"
        f"delivered {sent} · blocked {blocked} · failed {failed}"
    )


def broadcast_report(
    sent: int, blocked: int, failed: int, skipped: int, elapsed: float, cancelled: bool
) -> str:
    """Report a finished (or cancelled) broadcast."""
    rate = sent / elapsed if elapsed > 0 else float(sent)
    head = "Broadcast cancelled." if cancelled else "Broadcast finished."
    lines = [
        head,
        f"Delivered: {sent}",
        f"Blocked the bot: {blocked}",
        f"Failed: {failed}",
    ]
    if skipped:
        lines.append(f"Not sent: {skipped}")
    lines.append(f"Elapsed: {elapsed:.1f} s, {rate:.1f} messages/s")
    return "\n".join(lines)


def broadcast_cancel_report(not_sent: int) -> str:
    """Confirm /broadcast_cancel."""
    return f"Broadcast stopped. {not_sent} messages were not sent."


# --- history, summaries, export and deletion ---------------------------------------------

SUMMARY_IN_ENGLISH = N_("The same summary in English, for a clinician who reads English:")
HISTORY_TOO_SHORT = N_(
    "Your chart needs at least two check-ins. Send /checkin each day (or answer the daily "
    "question) and try /history again in a couple of days."
)
DOCTOR_SUMMARY = N_(
    "Summary for your doctor: your last 30 days of pain scores, warning signs and the "
    "advice FootCare gave. Your full record as CSV follows."
)
DELETE_CONFIRM = N_(
    "This deletes everything FootCare stores about you: your check-ins, answers, tips "
    "history, escalations, share links and settings. It cannot be undone. Delete everything?"
)
DELETE_KEEP = N_("Nothing was deleted.")
DELETED = N_(
    "All your data has been deleted and you are unsubscribed. If you send /start later, you "
    "will begin as a new user."
)
NOTHING_STORED = N_("FootCare stores nothing about you.")


def export_caption(
    t: Translator,
    zone: str,
    at: str,
    has_diabetes: bool | None,
    country: str | None = None,
    pain: str | None = None,
) -> str:
    """Caption the /export document with the settings that are not in the CSV (pain: a label
    from pain_label, shown when the user answered)."""
    caption = _export_settings(t, zone, at, has_diabetes, country)
    if pain is None:
        return caption
    return f"{caption}\n" + t.gettext("How long the pain had gone on: {pain}.").format(pain=pain)


def _export_settings(
    t: Translator, zone: str, at: str, has_diabetes: bool | None, country: str | None
) -> str:
    if country:
        return t.gettext(
            "Everything FootCare stores about your days, as CSV. Your settings: daily time "
            "{at}, time zone {zone}, country {country}, diabetes {diabetes}. Send /delete to "
            "erase it all."
        ).format(at=at, zone=zone, country=country, diabetes=_yes_no(t, has_diabetes))
    return t.gettext(
        "Everything FootCare stores about your days, as CSV. Your settings: daily time "
        "{at}, time zone {zone}, diabetes {diabetes}. Send /delete to erase it all."
    ).format(at=at, zone=zone, diabetes=_yes_no(t, has_diabetes))


def weekly_summary(t: Translator, scores: list[int], previous: list[int]) -> str:
    """Two lines for the weekly chart, with encouragement when pain is falling."""
    if not scores:
        return t.gettext(
            "Your week: no check-ins this week.\n"
            "A quick /checkin each day makes next week's chart useful."
        )
    average = sum(scores) / len(scores)
    first = t.ngettext(
        "Your week: {n} check-in, average pain {average}/10.",
        "Your week: {n} check-ins, average pain {average}/10.",
        len(scores),
    ).format(n=len(scores), average=f"{average:.1f}")
    if previous:
        before = f"{sum(previous) / len(previous):.1f}"
        mean = sum(previous) / len(previous)
        if average <= mean - 0.5:
            second = t.gettext("Down from {before} the week before. Well done, keep it up.")
        elif average >= mean + 0.5:
            second = t.gettext("Up from {before} the week before. Go easy on your feet.")
        else:
            second = t.gettext("About the same as the week before.")
        return f"{first}\n{second.format(before=before)}"
    # Not inside the f-string: extraction cannot see a msgid there, so it never reached the
    # catalogue and Chinese readers got this line in English.
    keep_going = t.gettext("Keep checking in to see how it changes.")
    return f"{first}\n{keep_going}"
