"""The letters a case can have, in the order a case meets them (a light module: the CLI reads it)."""
LETTER_KINDS = ("acknowledgement", "more_information", "threshold_met", "threshold_not_met", "outcome")
