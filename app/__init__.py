"""kgn's faces: the ``kgn`` command line (:mod:`app.cli`) and, later, the dashboard."""
