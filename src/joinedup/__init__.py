"""joinedup: multi-agency safeguarding for English safeguarding partnerships."""

__version__ = "0.1.0"
