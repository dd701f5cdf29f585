"""Every user-facing sentence of the bot, in one catalogue (English now; other languages later).

The word "doctor" is reserved for escalation messages (bot/core/escalation_text.py), so that
nothing routine can be mistaken for, or dilute, the one message that says to get seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Subscribe and set up your daily tip"),
    ("tip", "Get a foot-care tip now"),
    ("checkin", "Record today's pain (0-10)"),
    ("warning", "Report a warning sign (snap, can't walk, numb...)"),
    ("settings", "Your time, time zone and pause"),
    ("time", "Set your daily time, e.g. /time 08:30"),
    ("timezone", "Set your time zone, e.g. /timezone Europe/London"),
    ("country", "Your country, for the right emergency numbers, e.g. /country DE"),
    ("history", "Your pain chart for the last 30 days"),
    ("pause", "Pause daily messages for N days, e.g. /pause 3"),
    ("resume", "Resume daily messages"),
    ("export", "Download everything stored about you (CSV)"),
    ("delete", "Delete all your data"),
    ("stop", "Unsubscribe from daily messages"),
    ("help", "What this bot does and its commands"),
)

DISCLAIMER = (
    "FootCare shares general self-care information. It is not medical advice and cannot "
    "diagnose you."
)


SCOPE = (
    "FootCare is for adults. A child's or teenager's heel pain should be checked by a GP "
    "(family physician) rather than managed with these tips."
)


def welcome(first_name: str) -> str:
    """Greet a new subscriber and say what comes next."""
    name = f", {first_name}" if first_name else ""
    return (
        f"Hi{name}! I'm FootCare. I help with heel and foot pain from exercise, such as "
        "plantar fasciitis and Achilles pain.\n\n"
        "Every day, at a time you choose, I'll send you one short, sourced self-care tip and "
        "ask how your pain is on a 0-10 scale. If your pain stays high or a warning sign "
        "appears, I'll tell you plainly to get it checked.\n\n"
        f"{SCOPE}\n{DISCLAIMER}\n\n"
        "First: which time zone are you in? Tap one, or type it like Europe/London."
    )


def already_subscribed(zone: str, at: str) -> str:
    """Answer /start from someone already subscribed."""
    return (
        f"You're already subscribed: your daily tip and check-in come at {at} ({zone}).\n"
        "Send /settings to change that, or /help to see everything I can do."
    )


def welcome_back(zone: str, at: str) -> str:
    """Greet a returning (previously stopped) user."""
    return (
        f"Welcome back! Your daily tip and check-in are on again at {at} ({zone}).\n"
        "Send /settings to change the time or time zone."
    )


ASK_TIMEZONE_TYPED = "Type your time zone as Area/City, for example Europe/London or Asia/Kolkata."


def country_from_zone(country: str | None) -> str:
    """Say which country a newly chosen time zone gave, or that it gave none."""
    if country is None:
        return (
            "I can't tell your country from this time zone; send /country to set it, so I can "
            "give you the right emergency numbers."
        )
    return f"Country: {country}, from your time zone (for emergency numbers; /country changes it)."


def timezone_set(zone: str, country: str | None = None) -> str:
    """Confirm a time zone during onboarding, with the country it gave, and ask for the time."""
    return (
        f"Time zone set to {zone}. {country_from_zone(country)}\n\n"
        "What time of day would you like your tip and check-in? Tap one, or type it as HH:MM "
        "(24-hour clock)."
    )


def bad_timezone(text: str, suggestions: Sequence[str]) -> str:
    """Explain that a typed zone is unknown, with close matches when there are some."""
    shown = text.strip()[:40]
    if suggestions:
        return (
            f'I don\'t know the time zone "{shown}". Did you mean one of these? '
            "Tap it, or type Area/City again."
        )
    return (
        f'I don\'t know the time zone "{shown}". Please type it as Area/City, for example '
        "Europe/London, America/New_York or Australia/Sydney."
    )


def bad_time(text: str) -> str:
    """Explain the expected time format."""
    shown = text.strip()[:20]
    return f'"{shown}" isn\'t a time I understand. Please use HH:MM, for example 08:30 or 19:00.'


ASK_DIABETES = (
    "One optional question: do you have diabetes? Foot pain matters more with diabetes, so "
    "I'd suggest getting checked sooner. You can skip this."
)


def onboarding_done(zone: str, at: str, first_day: date) -> str:
    """Finish onboarding: say when the first daily message comes."""
    return (
        f"All set. Your first tip and check-in arrive on {first_day:%A %d %B} at {at} ({zone}).\n\n"
        "Can't wait? Send /tip for a tip now or /checkin to record today's pain. /help lists "
        "everything."
    )


def schedule_changed(zone: str, at: str, first_day: date) -> str:
    """Confirm a change of daily time or zone."""
    return (
        f"Done. Your daily tip and check-in now come at {at} ({zone}), "
        f"next on {first_day:%A %d %B}."
    )


def zone_changed(zone: str, at: str, first_day: date, country: str | None) -> str:
    """Confirm a change of time zone after onboarding, with the country it gave."""
    return f"{schedule_changed(zone, at, first_day)}\n{country_from_zone(country)}"


COUNTRY_NOT_SET = 'not set; emergency advice will say "your local emergency number"'


def country_label(country: str | None, *, from_zone: bool) -> str:
    """Name the user's country for /settings and /country, saying where it came from."""
    if not country:
        return COUNTRY_NOT_SET
    return f"{country} (from your time zone)" if from_zone else country


def settings_summary(
    zone: str,
    at: str,
    paused_until: date | None,
    status: str,
    has_diabetes: bool | None,
    *,
    weekly: bool = True,
    weekly_day: int = 6,
    country: str = COUNTRY_NOT_SET,
) -> str:
    """Show the user's settings."""
    if status == "stopped":
        state = "unsubscribed (send /start to subscribe again)"
    elif paused_until is not None:
        state = f"paused; messages resume on {paused_until:%A %d %B}"
    else:
        state = "on"
    diabetes = {True: "yes", False: "no", None: "not answered"}[has_diabetes]
    return (
        "Your settings\n"
        f"• Daily time: {at}\n"
        f"• Time zone: {zone}\n"
        f"• Country: {country}\n"
        f"• Daily messages: {state}\n"
        f"• Diabetes: {diabetes}\n"
        f"• Weekly summary chart: {f'on ({WEEKDAYS[weekly_day]}s)' if weekly else 'off'}\n\n"
        "Change them with the buttons, or with /time HH:MM, /timezone Area/City and /country."
    )


def help_text(is_admin: bool = False) -> str:
    """List the commands."""
    lines = ["FootCare sends one foot-care tip and a pain check-in every day.", ""]
    lines += [f"/{name} - {description}" for name, description in COMMANDS]
    lines += ["", SCOPE, "", DISCLAIMER]
    return "\n".join(lines)


STOPPED = (
    "You're unsubscribed: no more daily tips or check-ins. Your history is kept; send /start "
    "any time to come back."
)
NOT_SUBSCRIBED = "You're not subscribed yet. Send /start to begin."
UNKNOWN_COMMAND = "Sorry, I don't know that command. Send /help to see what I can do."
FREE_TEXT = (
    "I can't reply to messages, but I'm here every day. Send /checkin to record your pain, "
    "/tip for a tip, or /help for everything else."
)
CHECKIN_HINT = (
    "Please send a number from 0 (no pain) to 10 (worst imaginable), or tap a button above."
)
ERROR = "Sorry, something went wrong on my side. Please try again in a moment."
STALE_BUTTON = "That button no longer works. Send /help to see what I can do."

CHECKIN_QUESTION = "How is your heel/foot pain today?\n0 = no pain, 10 = worst pain imaginable."


def checkin_prompt(day: date) -> str:
    """Ask for the day's pain score."""
    return f"Check-in for {day:%a %d %b}\n{CHECKIN_QUESTION}"


def _band(score: int) -> str:
    if score == 0:
        return "no pain"
    if score <= 3:
        return "mild"
    if score <= 6:
        return "moderate"
    return "severe"


def checkin_recorded(day: date, score: int, streak: int) -> str:
    """Acknowledge a score (replaces the prompt's text)."""
    text = f"Check-in for {day:%a %d %b}: {score}/10 ({_band(score)}). Recorded, thank you."
    if streak >= 3:
        text += f"\nThat's {streak} days in a row of check-ins."
    return text


def checkin_replaced(day: date, old: int, score: int) -> str:
    """Say that a second answer the same day replaced the first."""
    return f"Check-in for {day:%a %d %b} updated from {old} to {score}/10 ({_band(score)})."


CHECKIN_CLOSED = "That check-in has closed. Send /checkin to record today's pain."


def tip_message(text: str, source: str) -> str:
    """Format a tip with its source."""
    return f"Today's foot-care tip\n\n{text}\n\nSource: {source}"


def paused(until: date) -> str:
    """Confirm a pause."""
    return (
        f"Paused. No daily messages until {until:%A %d %B}; send /resume to restart sooner. "
        "You can still use /checkin and /tip."
    )


PAUSE_USAGE = "Use /pause followed by a number of days from 1 to 30, for example /pause 3."
RESUMED = "Resumed: your daily tip and check-in are back on."
NOT_PAUSED = "Your daily messages aren't paused. /pause N pauses them for N days."
TIME_USAGE = "Use /time followed by a time, for example /time 08:30."
TIMEZONE_USAGE = "Use /timezone followed by Area/City, for example /timezone Europe/London."


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CHOOSE_WEEKDAY = "On which day would you like your weekly summary chart?"


def weekly_toggled(enabled: bool, weekday: int = 6) -> str:
    """Confirm the weekly summary setting."""
    if enabled:
        return (
            f"Weekly summary on: every {WEEKDAYS[weekday]} at your daily time you'll get your "
            "week's chart."
        )
    return "Weekly summary off. Send /history any time to see your chart."


CHOOSE_TIME = "Choose a new daily time, or type it as HH:MM."
CHOOSE_ZONE = "Choose your time zone, or type it as Area/City."

# --- the user's country ----------------------------------------------------------------------

COUNTRY_HOW = (
    "Send /country followed by your country's name or two-letter code, for example /country DE "
    "or /country Germany. If yours isn't in my list, send /country other."
)
ASK_COUNTRY_TYPED = "Type your country's name or two-letter code, for example Germany or DE."
COUNTRY_OTHER_WORDS = ("other", "none", "not listed", "unlisted")  # typed for "not in the list"
COUNTRY_NOT_LISTED = (
    "Noted: your country isn't in my list. If your foot needs emergency care, I'll say to call "
    "your local emergency number. Send /country to change this."
)


def country_status(label: str) -> str:
    """Answer /country alone: the current country and how to change it."""
    return (
        f"Your country: {label}.\nI use it to give you the right emergency numbers if your foot "
        f"ever needs urgent care.\n\n{COUNTRY_HOW}"
    )


def choose_country(label: str) -> str:
    """Offer the country choices behind the /settings button."""
    return f'Your country: {label}.\nTap one below, or choose "Type it" to name your country.'


def country_set(name: str, emergency: str, urgent: str | None, urgent_name: str | None) -> str:
    """Confirm a country with the numbers it gives, so the user can see they are right."""
    text = f"Country set to {name}. If your foot needs emergency care, I'll say to call {emergency}"
    if urgent is not None and urgent_name is not None:
        text += f", and {urgent_name} on {urgent} for urgent advice"
    return f"{text}. Send /country to change it."


def country_unknown(text: str) -> str:
    """Explain that a typed country is not one FootCare knows, and how to answer."""
    shown = text.strip()[:40]
    return f'I don\'t know the country "{shown}". {COUNTRY_HOW}'


def diabetes_answered(answer: str) -> str:
    """Replace the diabetes question with the answer given."""
    shown = {"yes": "yes", "no": "no"}.get(answer, "skipped")
    return f"{ASK_DIABETES}\n\nYour answer: {shown}."


DIABETES_THANKS = "Thanks, noted. You can change this in /settings."
RED_FLAG_NONE = (
    "Thanks, none of those. Keep to the advice above and your daily tips, and send /warning "
    "at once if a warning sign appears."
)
FOOT_CHECK = (
    "Weekly foot check (because you told me you have diabetes). Look at both feet: is there "
    "any new wound or blister, a change of colour, swelling, a hot or cold patch, or loss of "
    "feeling?"
)
FOOT_CHECK_YES = "Yes, one of these"
FOOT_CHECK_UNWELL = "Yes, and I feel unwell"
FOOT_CHECK_NO = "No, my feet look fine"
WARNING_BUTTON = "Warning sign"


def red_flag_answered(label: str) -> str:
    """Replace the red-flag question with the answer given."""
    return f"You answered: {label}."


# --- admin ------------------------------------------------------------------------------

BROADCAST_USAGE = (
    "Send /broadcast followed by the text, or reply to a message with /broadcast to send "
    "that message's text with its formatting."
)
BROADCAST_EMPTY = "There is nobody to send to: no active subscribers."
BROADCAST_ALREADY = "This broadcast was already started or cancelled; nothing more was sent."
BROADCAST_NONE_RUNNING = "No broadcast is running."


def broadcast_preview(text: str, recipients: int) -> str:
    """Show an admin what would be sent and to how many."""
    return f"Broadcast preview ({recipients} active subscribers):\n\n{text}"


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

HISTORY_TOO_SHORT = (
    "Your chart needs at least two check-ins. Send /checkin each day (or answer the daily "
    "question) and try /history again in a couple of days."
)
DOCTOR_SUMMARY = (
    "Summary for your doctor: your last 30 days of pain scores, warning signs and the "
    "advice FootCare gave. Your full record as CSV follows."
)
DELETE_CONFIRM = (
    "This deletes everything FootCare stores about you: your check-ins, answers, tips "
    "history, escalations and settings. It cannot be undone. Delete everything?"
)
DELETE_KEEP = "Nothing was deleted."
DELETED = (
    "All your data has been deleted and you are unsubscribed. If you send /start later, you "
    "will begin as a new user."
)
NOTHING_STORED = "FootCare stores nothing about you."


def export_caption(
    zone: str, at: str, has_diabetes: bool | None, country: str | None = None
) -> str:
    """Caption the /export document with the settings that are not in the CSV."""
    diabetes = {True: "yes", False: "no", None: "not answered"}[has_diabetes]
    chosen = f", country {country}" if country else ""
    return (
        "Everything FootCare stores about your days, as CSV. Your settings: daily time "
        f"{at}, time zone {zone}{chosen}, diabetes {diabetes}. Send /delete to erase it all."
    )


def weekly_summary(scores: list[int], previous: list[int]) -> str:
    """Two lines for the weekly chart, with encouragement when pain is falling."""
    if not scores:
        return (
            "Your week: no check-ins this week.\n"
            "A quick /checkin each day makes next week's chart useful."
        )
    average = sum(scores) / len(scores)
    first = f"Your week: {len(scores)} check-ins, average pain {average:.1f}/10."
    if previous:
        before = sum(previous) / len(previous)
        if average <= before - 0.5:
            return f"{first}\nDown from {before:.1f} the week before. Well done, keep it up."
        if average >= before + 0.5:
            return f"{first}\nUp from {before:.1f} the week before. Go easy on your feet."
        return f"{first}\nAbout the same as the week before."
    return f"{first}\nKeep checking in to see how it changes."
