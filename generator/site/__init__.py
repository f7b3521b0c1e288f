"""The council websites: `ctkit build`, theme overrides, generated pages and the eligibility checker."""
