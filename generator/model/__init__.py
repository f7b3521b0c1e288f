"""The typed model of a project: guidance (versions, criteria, councils, pages) and forms."""
from .form import (Condition, Field, Form, Option, Question, Repeat, Rule, Section, TEXT_TYPES, build_form,
                   date_example, dated_hint, field_name, length_hint, lower_first, parse_field_name,
                   questions_in_words, unnumbered)
from .guidance import (COUNTS, Approval, Colours, Contact, Council, Criteria, FiveIndividualsRoute, Guidance, HateRoute,
                       Logo, Page, ProblemContact, Signatory, Timescale, Version, build_colours, build_council,
                       build_criteria, build_version, name_approving_councils, version_key, where_of)

__all__ = [
    "COUNTS", "Approval", "Colours", "Condition", "HateRoute", "Contact", "Council", "Criteria", "Field",
    "FiveIndividualsRoute", "Form", "Guidance", "Logo", "Option", "Page", "ProblemContact", "Question", "Repeat",
    "Rule", "Section", "Signatory", "TEXT_TYPES", "Timescale", "Version", "build_colours", "build_council",
    "build_criteria", "build_form", "build_version", "date_example", "dated_hint", "field_name", "length_hint",
    "lower_first", "name_approving_councils", "parse_field_name",
    "questions_in_words", "unnumbered", "version_key", "where_of",
]
