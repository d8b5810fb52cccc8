"""Practice reviews, 7-minute briefings, presentation mode and learning activities."""
