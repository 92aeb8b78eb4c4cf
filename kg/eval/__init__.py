"""Evaluation against public benchmarks: scorers and readers (no model code here).

- :mod:`kg.eval.webnlg`: WebNLG+ 2020 text-to-RDF scoring (Exact/Partial/Strict/Type) and a
  WebNLG 3.0 XML reader;
- :mod:`kg.eval.conll04`: CoNLL04 reader and strict entity/relation scores;
- :mod:`kg.eval.linkpred`: link-prediction metrics (owned by the reasoning area).

Benchmark drivers live in ``bench/``; they read data from paths given on the command line.
"""
