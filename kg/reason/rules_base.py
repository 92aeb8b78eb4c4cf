"""Rule and mining-setting value types shared by the dense miner (:mod:`kg.reason.rules`) and the
sampling miner (:mod:`kg.reason.rules_sampled`); see :mod:`kg.reason.rules` for the measures."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kg.errors import KgnError
from kg.reason.index import TripleIndex

_VARS = "XABCDEFG"


@dataclass(frozen=True)
class Rule:
    """One mined rule with its counts (relations are IRIs; labels are kept for display)."""

    head: str
    head_label: str
    body: tuple[tuple[str, bool], ...]  # (relation IRI, inverse)
    body_labels: tuple[str, ...]
    support: int
    body_size: int
    pca_body_size: int
    # Rules with constants (AnyBURL's acyclic rules): the head is r(X, constant), or r(constant, X)
    # with ``constant_first``; the body walks from X and ends in ``body_constant`` (AC1) or in a
    # free variable (AC2, ``body_constant`` None). A cyclic rule has no constant.
    constant: str | None = None
    constant_label: str = ""
    constant_first: bool = False
    body_constant: str | None = None
    body_constant_label: str = ""
    exact: bool = True  # counts exact (False: estimated from sampled body groundings)

    @property
    def length(self) -> int:
        return len(self.body)

    @property
    def kind(self) -> str:
        """``cyclic``, ``AC1`` (body ends in a constant) or ``AC2`` (body ends in a free variable)."""
        if self.constant is None:
            return "cyclic"
        return "AC1" if self.body_constant is not None else "AC2"

    @property
    def std_confidence(self) -> float:
        return self.support / self.body_size if self.body_size else 0.0

    @property
    def pca_confidence(self) -> float:
        return self.support / self.pca_body_size if self.pca_body_size else 0.0

    def confidence(self, kind: str = "std", pseudo_count: float = 0.0) -> float:
        """Confidence used for ranking; ``pseudo_count`` adds unseen negatives as AnyBURL does
        (Meilicke et al., IJCAI 2019), so rules with little support rank lower."""
        if kind not in CONFIDENCE_KINDS:
            from kg.errors import UnknownNameError

            raise UnknownNameError("confidence", kind, CONFIDENCE_KINDS)
        denom = self.body_size if kind == "std" else self.pca_body_size
        return self.support / (denom + pseudo_count) if denom + pseudo_count > 0 else 0.0

    def variables(self) -> list[str]:
        n = len(self.body)
        if self.constant is None:
            return [_VARS[0]] + [_VARS[i] for i in range(1, n)] + ["Y"]
        last = self.body_constant_label or self.body_constant if self.body_constant is not None else _VARS[n]
        return [_VARS[i] for i in range(n)] + [last]

    def render(self) -> str:
        v = self.variables()
        atoms = []
        for i, ((_, inverse), label) in enumerate(zip(self.body, self.body_labels)):
            a, b = v[i], v[i + 1]
            atoms.append(f"{label}({b},{a})" if inverse else f"{label}({a},{b})")
        if self.constant is None:
            head = f"{self.head_label}(X,Y)"
        else:
            c = self.constant_label or self.constant
            head = f"{self.head_label}({c},X)" if self.constant_first else f"{self.head_label}(X,{c})"
        return " ∧ ".join(atoms) + f" ⇒ {head}"

    __str__ = render

    def to_json(self) -> dict:
        d = asdict(self)
        d["kind"] = self.kind
        d["body"] = [[r, inv] for r, inv in self.body]
        d["body_labels"] = list(self.body_labels)
        d["std_confidence"] = round(self.std_confidence, 6)
        d["pca_confidence"] = round(self.pca_confidence, 6)
        d["text"] = self.render()
        return d

    @classmethod
    def from_json(cls, d: dict) -> Rule:
        return cls(d["head"], d["head_label"], tuple((r, bool(inv)) for r, inv in d["body"]),
                   tuple(d["body_labels"]), int(d["support"]), int(d["body_size"]), int(d["pca_body_size"]),
                   d.get("constant"), d.get("constant_label", ""), bool(d.get("constant_first", False)),
                   d.get("body_constant"), d.get("body_constant_label", ""), bool(d.get("exact", True)))


CONFIDENCE_KINDS = ("std", "pca")
MINING_METHODS = ("auto", "dense", "sampled")


@dataclass(frozen=True)
class MiningSettings:
    """What ``mine_rules`` keeps: rule length, minimum support and standard confidence, and at
    most ``max_rules_per_head`` rules per head relation, ranked by standard confidence with
    ``pseudo_count`` unseen negatives added to the body size (AnyBURL's smoothing; without it the
    cap fills up with rules of support 2 and body 2 on dense graphs such as Nations, where
    length-3 bodies abound, and crowds out the well-supported short rules)."""

    max_len: int = 3
    min_support: int = 2
    min_conf: float = 0.01
    max_rules_per_head: int | None = 2000
    pseudo_count: float = 5.0
    # Rules with constants (AnyBURL's AC1/AC2) of at most this many body atoms; 0: none.
    acyclic_len: int = 1
    # "dense" (exact dense matrix products, small graphs), "sampled" (bottom-up path sampling,
    # cost grows with edges; see kg.reason.rules_sampled) or "auto" (dense when it is small).
    method: str = "auto"
    time_budget: float | None = None  # seconds for sampled mining (None: until saturated)
    max_memory: int = 4 << 30  # bytes mining may use beyond the index; over it: error or degrade
    walk_budget: int = 50_000  # most body walks held at once when counting one rule body
    # Sampled mining estimates a body's counts from about this many groundings (walks at any
    # step) of a uniform sample of its start entities, as AnyBURL estimates confidence on a
    # sample of body groundings (Meilicke et al., IJCAI 2019); bodies with fewer groundings are
    # counted exactly. None: up to ``walk_budget``.
    count_sample: int | None = 2_000
    seed: int = 0
    # Rules with constants capped per (head relation, constant, side) instead of sharing the
    # per-head cap with closed rules; None: shared. AnyBURL keeps every rule it finds (Meilicke
    # et al., IJCAI 2019); a head relation needs rules for each of its constants (each person of
    # Kinships, each profession of FB15k-237), which a per-head cap of closed rules starves: on
    # Kinships (length ≤ 2, noisy-or) valid MRR 0.697 with 2,000 rules per head, 0.777 with none.
    max_rules_per_constant: int | None = None

    def __post_init__(self):
        if not 1 <= self.max_len <= 3:
            raise KgnError(f"rule length must be 1, 2 or 3, got {self.max_len}")
        if not 0 <= self.acyclic_len <= 2:
            raise KgnError(f"length of rules with constants must be 0, 1 or 2, got {self.acyclic_len}")
        if self.method not in MINING_METHODS:
            from kg.errors import UnknownNameError

            raise UnknownNameError("mining method", self.method, MINING_METHODS)
        if self.time_budget is not None and self.time_budget <= 0:
            raise KgnError(f"time budget must be positive, got {self.time_budget}")
        if self.walk_budget < 1:
            raise KgnError(f"walk budget must be at least 1, got {self.walk_budget}")
        if self.count_sample is not None and self.count_sample < 1:
            raise KgnError(f"counting sample must be at least 1 grounding, got {self.count_sample}")
        if self.min_support < 1:
            raise KgnError(f"minimum support must be at least 1, got {self.min_support}")
        if not 0.0 <= self.min_conf <= 1.0:
            raise KgnError(f"minimum confidence must be between 0 and 1, got {self.min_conf}")
        for name in ("max_rules_per_head", "max_rules_per_constant"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise KgnError(f"{name.replace('_', ' ')} must be at least 1 (or none), got {getattr(self, name)}")
        if self.pseudo_count < 0:
            raise KgnError(f"pseudo count must not be negative, got {self.pseudo_count}")


def make_rule(index: TripleIndex, head: int, codes, support: int, body_size: int, pca_body_size: int) -> Rule:
    return Rule(index.relations[head], index.relation_labels[head],
                tuple((index.relations[c >> 1], bool(c & 1)) for c in codes),
                tuple(index.relation_labels[c >> 1] for c in codes), int(support), int(body_size), int(pca_body_size))


def rule_codes(index: TripleIndex, rule: Rule) -> tuple[int, tuple[int, ...]] | None:
    """(head id, body step codes) of ``rule`` in ``index``, or None if a relation is absent."""
    try:
        head = index.relation_id[rule.head]
        return head, tuple(2 * index.relation_id[r] + int(inv) for r, inv in rule.body)
    except KeyError:
        return None
