"""Path reasoning over the knowledge graph: paths between entities, path rules, predictions.

Everything is a pure function of a :class:`TripleIndex` (the workspace's graph index, :meth:`kg.workspace.Workspace.index`)
and, for predictions, a :class:`RuleSet`; write-back is the only part that touches the store.
"""

from kg.reason.errors import AmbiguousEntityError, NoPathError, RulesFileError, UnknownEntityError, UnknownRelationError
from kg.reason.index import TripleIndex
from kg.reason.paths import Path, PathFilter, Step, all_simple_paths, k_shortest_paths, make_filter, shortest_path, shortest_paths
from kg.reason.predict import ApplySettings, Evidence, Prediction, infer, predict, score_matrices
from kg.reason.rules import MiningSettings, Rule, RuleSet, mine_rules

__all__ = ["AmbiguousEntityError", "ApplySettings", "Evidence", "MiningSettings", "NoPathError", "Path", "PathFilter",
           "Prediction", "Rule", "RuleSet", "RulesFileError", "Step", "TripleIndex", "UnknownEntityError",
           "UnknownRelationError", "all_simple_paths", "infer", "k_shortest_paths", "make_filter", "mine_rules",
           "predict", "score_matrices", "shortest_path", "shortest_paths"]
