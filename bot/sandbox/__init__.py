"""A local Telegram Bot API server for end-to-end tests and the offline demo."""

from bot.sandbox.driver import SANDBOX_TOKEN, Sandbox
from bot.sandbox.models import ApiError, Call, ChatMessage, UploadedFile

__all__ = ["SANDBOX_TOKEN", "ApiError", "Call", "ChatMessage", "Sandbox", "UploadedFile"]
