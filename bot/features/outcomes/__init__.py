"""Outcomes as trials measure them (issue 22): where it hurts, first-step pain, the user's own
activities (Patient-Specific Functional Scale) and the monthly acceptable-state questions.

`measures` holds the rules (pure), `words` every sentence, `record` the export file. The
Telegram handlers, onboarding steps and the daily and weekly messages come with the feature
packages of issue 21.
"""
