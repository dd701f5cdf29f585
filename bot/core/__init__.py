"""The pure core: rules, rotation, schedule maths and texts. No Telegram, no SQLite here."""
