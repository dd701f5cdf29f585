"""Outcomes as trials measure them (issue 22): where it hurts, first-step pain, the user's own
activities (Patient-Specific Functional Scale) and the monthly acceptable-state questions.

`measures` holds the rules (pure), `words` every sentence, `record` the export file, `foot`
where it hurts and which foot (onboarding and /settings), `first_step` the morning question
in the daily message, `progress` the start/now/change lines, `keyboards` the buttons. The
thin Telegram handlers are in bot/telegram/outcome_handlers.py until issue 21's layout
moves handlers into feature packages.
"""
