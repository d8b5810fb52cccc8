"""Who may see a child's record, and the record of everyone who looked (docs/access.md).

- ``roles``: the closed set of roles and who holds them;
- ``users``: members of agencies and teams;
- ``allocation``: workers and teams allocated to a child;
- ``review_panel``: how long a review's panel may open the child's record (open, and a
  grace period after it closes);
- ``sealing``: sealed records;
- ``policy``: legitimate relationships, deny by default, and the query filter for lists;
- ``sharing``: which adult-services events a child's chronology shows, and on what lawful basis;
- ``breakglass``: time-limited access with a stated reason, reviewed by a safeguarding lead;
- ``audit``: the append-only, hash-chained audit trail.
"""
