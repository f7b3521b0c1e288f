"""Community Trigger kit: one source for the Derbyshire ASB Case Review guidance, forms and validator."""
