"""The typed model of a project: guidance (versions, criteria, councils, pages) and forms."""
from .approved import LOCKS_FOLDER, Fingerprint, Lock, fingerprint, format_lock, lock_path, parse_lock
from .form import (Condition, Field, Form, Option, Question, Repeat, Rule, Section, TEXT_TYPES, build_form,
                   FormText, date_example, dated_hint, field_name, form_wording, length_hint, lower_first,
                   parse_field_name, questions_in_words, unnumbered)
from .guidance import (APPLICATIONS_PATH, COUNTS, Approval, Colours, Contact, Council, Criteria, Erratum,
                       FiveIndividualsRoute, Guidance, HateRoute, Logo, Notice, Page, Partnership, ProblemContact, ROLES,
                       Signatory, Submit, Timescale, Version, build_colours, build_council, build_criteria,
                       build_partnership, build_version,
                       name_approving_councils, version_key, where_of)

__all__ = [
    "LOCKS_FOLDER", "Erratum", "Fingerprint", "Lock", "fingerprint", "format_lock", "lock_path", "parse_lock",
    "APPLICATIONS_PATH", "COUNTS", "Approval", "Colours", "Condition", "HateRoute", "Contact", "Council", "Criteria",
    "Field", "FiveIndividualsRoute", "Form", "Guidance", "Logo", "Notice", "Option", "Page", "Partnership",
    "ProblemContact", "ROLES", "build_partnership",
    "Question", "Repeat", "Rule", "Section", "Signatory", "Submit", "TEXT_TYPES", "Timescale", "Version",
    "build_colours", "build_council", "build_criteria", "build_form", "build_version", "date_example", "dated_hint",
    "field_name", "length_hint", "lower_first", "name_approving_councils", "parse_field_name",
    "questions_in_words", "unnumbered", "version_key", "where_of", "FormText", "form_wording",
]
