"""Data stewards' pages (submissions, quarantine, upload, linkage review) and the
partnership overview."""
