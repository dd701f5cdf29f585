"""Every question and answer the outcome measures ask, as English msgids of the catalogue.

Constants are marked with N_ and translated where they are shown (t.gettext(words.X)); the
dictionaries give each enum member its words, so a new member without words fails
tests/features/outcomes/test_words.py. The word "doctor" (医生, 就医) is reserved for
escalations and appears nowhere here (the same test enforces it). Placeholders such as
{activity} carry the user's own words: escape them wherever they are shown.
docs/clinical/outcomes.md has the Chinese of each question with its back translation.
"""

from __future__ import annotations

from bot.core.i18n import N_
from bot.core.outcomes import GlobalChange, PainSite, Side
from bot.features.outcomes.measures import Measure, NameProblem, Verdict

# --- where it hurts and which foot ----------------------------------------------------------

ASK_SITE = N_(
    "Where does it hurt most? Tap the number that matches the picture. You can skip this."
)
PICTURE_TITLE = N_("Where does it hurt?")
SITE_LABELS: dict[PainSite, str] = {
    PainSite.UNDER_HEEL: N_("Under the heel"),
    PainSite.ACHILLES: N_("The Achilles tendon, a few centimetres above the heel"),
    PainSite.INSERTION: N_("The back of the heel bone, where the tendon attaches"),
    PainSite.ELSEWHERE: N_("Elsewhere in the foot"),
    PainSite.NOT_SURE: N_("Not sure"),
}
ASK_SIDE = N_("Which foot hurts?")
WHICH_FOOT = N_("Which foot")
SIDE_LABELS: dict[Side, str] = {
    Side.LEFT: N_("Left foot"),
    Side.RIGHT: N_("Right foot"),
    Side.BOTH: N_("Both feet"),
}
BOTH_FEET_NOTE = N_(
    "Pain in both feet is common and is not a warning sign by itself. One more question, "
    "asked only once:"
)
ASK_JOINTS = N_(
    "Along with the pain in both feet, are any of your joints, or your back, stiff or swollen?"
)
SETTINGS_BUTTON = N_("Where it hurts")
PROFILE_SAVED = N_("Saved. You can change this at any time in /settings.")
SETTINGS_SITE = N_("Where it hurts: {site}")
SETTINGS_SIDE = N_("Which foot: {side}")
SETTINGS_FIRST_STEP_ON = N_("Morning first-steps question: on")
SETTINGS_FIRST_STEP_OFF = N_("Morning first-steps question: off")
TURN_FIRST_STEP_ON = N_("Ask about first steps each morning")
TURN_FIRST_STEP_OFF = N_("Stop the first-steps question")
NOT_ANSWERED = N_("not answered")
SKIP = N_("Skip")

# --- first-step pain and yesterday's check-in -----------------------------------------------

ASK_FIRST_STEP = N_(
    "This morning's first steps: how much did your foot hurt when you first stood and walked "
    "after getting up?\n0 = no pain, 10 = worst pain imaginable."
)
FIRST_STEP_TOAST = N_("First steps: {score}/10")
OFFER_YESTERDAY = N_(
    "Yesterday's check-in was missed. Fill it in now? It is saved for {date} and marked as "
    "filled in a day late."
)
FILL_YESTERDAY = N_("Fill in yesterday")
ASK_YESTERDAY_FIRST_STEP = N_(
    "Yesterday morning's first steps: how much did your foot hurt?\n"
    "0 = no pain, 10 = worst pain imaginable."
)
ASK_YESTERDAY_PAIN = N_(
    "Your pain yesterday, {date}: how bad was it?\n0 = no pain, 10 = worst pain imaginable."
)
FILLED_LATE = N_("Saved for {date}, marked as filled in a day late.")
FILL_CLOSED = N_("Only yesterday can still be filled in; older days stay empty.")
FILL_ALREADY = N_("{date} already has an answer; it stays as it was.")
WARNING_SIGNS_ARE_TODAY = N_("Warning signs are about today: if one applies now, send /warning.")

# --- the user's own activities (Patient-Specific Functional Scale) -------------------------

ASK_ACTIVITIES = N_(
    "Which everyday activities does your foot make hard? Name up to three in your own words, "
    "one message each, for example: walk the dog, stand at work, run 5 km. You can skip this."
)
ASK_RATE_ACTIVITY = N_(
    "How well can you do this now: “{activity}”?\n0 = can't do it, 10 = as well as before the pain."
)
ACTIVITY_SAVED = N_("Saved: “{activity}”, {score}/10.")
ASK_ANOTHER_ACTIVITY = N_("Another activity? Type it, or tap Done.")
DONE = N_("Done")
ACTIVITIES_FULL = N_("You already follow three activities. Stop following one to add another.")
NAME_PROBLEMS: dict[NameProblem, str] = {
    NameProblem.EMPTY: N_("Please type the activity in a few words."),
    NameProblem.TOO_LONG: N_("Please keep it to {limit} characters or fewer."),
}
RERATE_INTRO = N_(
    "Your weekly check on your activities: one tap each.\n"
    "0 = can't do it, 10 = as well as before the pain."
)
STOP_FOLLOWING = N_("Stop following")
CHANGE_ACTIVITY = N_("Change")
ADD_ACTIVITY = N_("Add an activity")
ACTIVITY_DROPPED = N_("Stopped following “{activity}”. Its ratings stay in your record.")
CHANGED_STARTS_AFRESH = N_(
    "A changed activity starts afresh: its first rating becomes its new starting point."
)

# --- the monthly questions ------------------------------------------------------------------

ASK_ACCEPTABLE = N_(
    "Think about your daily activities, your pain and what your foot lets you do. If your "
    "foot stayed as it is now, would that be acceptable to you?"
)
ACCEPTABLE_YES = N_("Yes, acceptable")
ACCEPTABLE_NO = N_("No, not acceptable")
ASK_GLOBAL_CHANGE = N_("Compared with when you started, how is your foot now?")
CHANGE_LABELS: dict[GlobalChange, str] = {
    GlobalChange.VERY_MUCH_BETTER: N_("Very much better"),
    GlobalChange.MUCH_BETTER: N_("Much better"),
    GlobalChange.A_LITTLE_BETTER: N_("A little better"),
    GlobalChange.NO_CHANGE: N_("No change"),
    GlobalChange.A_LITTLE_WORSE: N_("A little worse"),
    GlobalChange.MUCH_WORSE: N_("Much worse"),
    GlobalChange.VERY_MUCH_WORSE: N_("Very much worse"),
}
MONTHLY_THANKS = N_("Thank you. Your answers are in your record.")

# --- getting better, in numbers -------------------------------------------------------------

MEASURE_NAMES: dict[Measure, str] = {
    Measure.FIRST_STEP_PAIN: N_("First-step pain"),
    Measure.DAILY_PAIN: N_("Daily pain"),
    Measure.ACTIVITIES: N_("Your activities (average)"),
}
PROGRESS_LINE = N_("{measure}: first week {start}, now {last}, change {change}")
PROGRESS_START_ONLY = N_("{measure}: first week {start}")
SMALLEST_CHANGE_SIZE = N_("(a change of {points} points; {source})")
VERDICTS: dict[Verdict, str] = {
    Verdict.NO_DATA: N_("no answers yet"),
    Verdict.TOO_EARLY: N_("too early to tell: a change shows after two weeks"),
    Verdict.NO_RECENT: N_("nothing to compare yet: no answers since the first week"),
    Verdict.BETTER: N_(
        "better by at least the change that people with this pain, on average, find worthwhile"
    ),
    Verdict.WORSE: N_("worse by at least that much"),
    Verdict.SMALLER: N_("a smaller change than people, on average, find worthwhile"),
}
GROUP_FIGURES = N_(
    "These sizes are averages from studies of many people: a rough guide for your own "
    "record, not a verdict on you."
)
OWN_RECORD = N_(
    "Your scores are your own record: never compared with other people and never used to diagnose."
)

# --- "My record" (/record) ------------------------------------------------------------------

MY_RECORD = N_(
    "Your record: your last 30 days of pain scores, where it hurts, warning signs and the "
    "advice FootCare gave, to show a health professional. The full record as CSV follows."
)

# --- the export -----------------------------------------------------------------------------

EXPORT_CAPTION = N_(
    "Your outcome record: where it hurts, first-step pain, your activities and the monthly answers."
)
# The header row as msgids: English keeps the column names, other languages translate them.
COLUMN_TITLES = (
    N_("date"),
    N_("measure"),
    N_("activity"),
    N_("value"),
    N_("filled_late"),
)
