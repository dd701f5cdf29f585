"""FootCare: a Telegram bot for daily heel and foot care tips, pain check-ins and escalation."""
