"""A case from opening to outcome: the register's lifecycle, what is due, and the letters (`ctkit case`)."""
