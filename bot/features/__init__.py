"""What the bot does, one module per capability, independent of Telegram.

Each feature takes the store, the clock and the content it needs in its constructor and
returns `bot.core.replies.Outcome` values; the Telegram handlers only translate.
"""
