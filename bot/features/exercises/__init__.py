"""The home exercise programme (issue 23): what to do today, and listening to the pain.

`programme` decides today's session and whether to suggest another level; `safety` holds the
rules that stop or pause it. Both are pure: dates, scores and answers come in as arguments,
nothing here reads the clock, the store or Telegram, and no function changes a user's level.
"""
