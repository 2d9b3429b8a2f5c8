"""Voice of the child: children's feedback for social workers and the safeguarding board.

The app is made by ``feedback.app.create_app``. This package imports nothing, so
that importing ``feedback.theming`` or ``feedback.services`` brings in neither
Flask nor the web layer, for Python or for mypy.
"""
