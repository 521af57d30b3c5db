"""Figure functions of the book, one module per chapter, registered in :mod:`epcore.figures`.

Each figure is a data function and a draw function (:func:`epcore.figures.register`). The
modules import Matplotlib only inside their draw functions, so importing this package and
calling the data functions works without Matplotlib (``python -m epcore figures --data-only``).
"""

from . import dicke, dynamics, foundations, kerr, openquestions, style, thermal

__all__ = ["dicke", "dynamics", "foundations", "kerr", "openquestions", "style", "thermal"]
