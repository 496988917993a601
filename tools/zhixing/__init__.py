"""zhixing (执行): policy-as-code for a county government's execution-efficiency rules.

The pipeline, in order — how a YAML file becomes a verdict, a ledger entry and a web page:

- ``workspace``  stage 1: the repository root, paths as diagnostics show them, what a check covers;
                 ``walking`` the walk, files' stat keys and a full check's listing (standard library only)
- ``loading``    YAML into plain data (libyaml, YAML 1.2 scalars) or Violations; the intake rule
                 for every string (no control, bidi or invisible characters); size caps; ``regexes``
                 the static rule that keeps every regular expression over text linear
- ``records``    the kinds registry (``KindSpec``), a ``Record``, the ``Corpus``
- ``schemas``    JSON Schemas, compiled (jsonschema-rs) and described (jsonschema), agreeing
- ``policies``   the regulation as data: articles, rules, dated parameters, vocabulary, who
                 supervises which article; ``workdays`` (the working-day calendar) and
                 ``wordcount`` (Word's 字数) are the measures they use
- ``cache``      the per-user parse cache (JSON, by content hash, never in the work tree); beside it
                 ``verdicts``, the last full check's verdicts, so the next one judges only what changed
- ``intake``     stage 2: parse, validate, lay out, read bodies (``bodies``: .docx and UTF-8 text),
                 admit → ``Corpus``
- ``rulebook``   rules registered by id (article and kind from policies); ``rules/`` holds one
                 module per record kind, each rule a small pure function
- ``judge``      stage 3: the rules over the corpus → findings → ``Violation``s
- ``obligations`` duties as data (Art. 17, 24, 29, 40, 41, 44): who owes what, per period, and
                 what record shows it met; one corpus rule per obligation judges them all
- ``integrity``  checks across records that are not an article's: units, approvals
- ``privacy``    what the public may see; personal-number masking from Art. 43's patterns
- ``ledger``     compliance findings registered and handled by the supervising office (问题清单);
                 ``register`` ``zhixing register``, the office's registration written for it
- ``engine``     the conductor of the stages: ``check(paths) -> CheckResult``; ``forking`` shares
                 a large check's tasks (runs of files to parse, rules) with forked copies, one per core
- ``changes``    ``check --base``: what a change does (history, new vs existing findings, edits)
               with ``gitops`` (the git questions it asks)
- ``diagnostics`` the one ``Violation`` type; ``messages`` the engine's own texts;
               ``reporters`` render it (text, json, github, summary); ``forge_note`` posts the summary as
               one sticky GitLab merge-request note
- ``quarterly``  the Art. 17 quarterly report; ``codeowners`` CODEOWNERS from the registry;
               ``scaffold`` ``zhixing new``; ``hygiene`` YAML hygiene for any file; ``fixers``
               ``zhixing fix`` (the certain fixes); ``spreadsheets`` ``zhixing template`` / ``import``;
               ``cms`` ``zhixing cms`` (the web form's Decap CMS config from the schemas and registry)
- ``cli``        the ``zhixing`` command, the single exit point; ``launch`` the process's entry, which has
                 a full check's listing made while the rest starts; ``pytest_plugin`` ``pytest records/``
- ``site/``      MkDocs hooks: ``hooks`` → ``pages``, ``ledger`` (问题清单, 考核), ``duties`` (年度义务), ``opendata``
                 (downloads, feeds), ``search`` (Pagefind indexing and exact lookups), ``markup`` (escaped Markdown,
                 tables and charts), ``history`` (last change from git), ``admin`` (the web form at /admin/)
"""

__version__ = "0.2.0"
