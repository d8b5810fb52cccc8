"""7-minute briefings: the learning from a practice review, told in seven numbered parts.

``compose`` drafts a briefing from a review; ``deidentify`` is the guard that keeps the
family's names, dates of birth, NHS numbers and addresses out of anything published;
``render`` writes it as a web page, a tagged A4 PDF and a Word document; ``activities``
records each time a team uses it and reports how far it has reached (docs/briefings.md).
"""
