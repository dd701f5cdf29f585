"""The Telegram adapter: thin handlers, the Outcome-to-API translation, inline keyboards."""
