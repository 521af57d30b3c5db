"""The repository's scripts, importable as a package (``import tools.build_pdf``) by the tests.

Each module also runs as a script (``python tools/build_pdf.py``); the book's Sphinx extension
``epbook_sphinx`` is loaded by Sphinx with ``tools/`` on ``sys.path`` (``local_extensions`` in
``_config.yml``). A module that uses another one imports it as ``tools.<name>`` when it was
itself imported from the package, and as a top-level module otherwise.
"""
