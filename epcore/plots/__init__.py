"""Figure functions of the book, one module per chapter, registered in :mod:`epcore.figures`.

Importing this package imports matplotlib; ``import epcore`` alone does not.
"""

from . import dicke, dynamics, foundations, kerr, openquestions, style, thermal

__all__ = ["dicke", "dynamics", "foundations", "kerr", "openquestions", "style", "thermal"]
