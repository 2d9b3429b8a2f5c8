"""The words for why a case's value, an import row or an import file was refused.

The services name each reason with a code (they hold no words); the pages and the
``cases import`` command both say it from here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from feedback.services.case_admin import Refusal

REASONS = {
    "reference_missing": _l("Enter the case reference"),
    "reference_invalid": _l("The case reference must be 64 characters or fewer, on one line"),
    "reference_taken": _l("A case with this reference already exists"),
    "reference_repeated": _l("This reference is also on line %(value)s of the file"),
    "reference_not_yours": _l("A case with this reference is held by a pod you do not manage"),
    "name_too_long": _l("The first name or chosen name must be 60 characters or fewer"),
    "age_band_unknown": _l("“%(value)s” is not an age band: use 7-10, 11-13, 14-15 or 16-18"),
    "language_unknown": _l("“%(value)s” is not a language the questionnaires are offered in"),
    "pod_missing": _l("Enter the pod"),
    "pod_unknown": _l("There is no pod called “%(value)s”"),
    "pod_not_yours": _l("“%(value)s” is not one of your pods"),
    "pod_choose": _l("Choose a pod"),
    "worker_unknown": _l("Nobody who can hold cases has the e-mail address “%(value)s”"),
    "worker_not_in_pod": _l("The allocated worker must be in the case's pod"),
    "row_cells": _l("This row has %(value)s cells, not as many as the first row"),
    "file_not_utf8": _l("The file is not UTF-8 text: save it as “CSV UTF-8” and try again"),
    "file_not_csv": _l("The file is not a CSV file (the problem is on line %(value)s)"),
    "columns_missing": _l("The file's first row must name its columns. Missing: %(value)s"),
}

#: Which form field each refusal is about, on the case pages.
FIELDS = {"reference": "reference", "display_name": "display_name", "pod": "pod",
          "worker": "worker", "age_band": "age_band", "language": "language"}


def reason(refusal: Refusal) -> str:
    """Say why, in the page's language."""
    words = REASONS.get(refusal.code)
    return str(words) % {"value": refusal.value} if words is not None else refusal.code
