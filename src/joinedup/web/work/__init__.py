"""My work, alerts, information requests and professionals meetings."""
