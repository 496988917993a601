"""zhixing (执行): policy-as-code for 乐府〔2019〕13号.

The pipeline, folder by folder: ``loading`` turns a YAML file into plain data plus a line map,
``records`` wraps it with its kind, unit and date, ``schemas`` checks its shape, ``policies``
reads the regulation as dated data, ``rules`` judge records against it, ``engine`` runs all of
that over the repository, ``reporters`` render the one ``Violation`` type, ``cli`` is the single
exit point.
"""

__version__ = "0.1.0"
