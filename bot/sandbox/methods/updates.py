"""getMe and getUpdates: how the bot learns who it is and, when polling, what users did."""

from __future__ import annotations

from collections.abc import Callable

from bot.sandbox.methods import Handler
from bot.sandbox.models import ApiError, JSONDict
from bot.sandbox.world import World

WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)


class UpdateMethods:
    """The bot's identity and the update feed it long-polls."""

    def __init__(self, world: World, webhook_active: Callable[[], bool]) -> None:
        self._world = world
        self._webhook_active = webhook_active

    def handlers(self) -> dict[str, Handler]:
        """Map this group's method names to their handlers."""
        return {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
        }

    async def get_me(self, params: JSONDict) -> JSONDict:
        """Describe the bot."""
        return {
            **self._world.bot.as_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Confirm updates below offset, then return pending ones, long-polling if asked."""
        if self._webhook_active():
            raise ApiError(409, WEBHOOK_ACTIVE)
        limit = min(100, max(1, params.get("limit", 100)))
        wait = max(0, params.get("timeout", 0))
        return await self._world.updates.poll(params.get("offset"), limit, wait)
