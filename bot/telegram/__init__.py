"""The Telegram adapter: handlers and keyboard formatting around the FootCare service."""
