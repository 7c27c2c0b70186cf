"""Lower platforms (type 200) registered with Vigil, and the catalog trees they report.

* :mod:`.lower_platforms` — their rows, routes and live counters;
* :mod:`.lower_tree` — a platform's catalog items read as a tree (pure);
* :mod:`.lower_import` — that tree written into the store (:mod:`.lower_writes`), on what the
  platform already owns there (:mod:`.lower_owned`);
* :mod:`.lower_platform_service` — what the API offers about them.
"""
