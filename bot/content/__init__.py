"""Loading and validating the YAML content shipped with the bot (tips, escalation rules)."""
