"""What the loaded NER's labels mean to the extractor: each label's role (person, place, ...).

The extractor's rules ask what an entity is ("is this a person?" for an honorific, a pronoun or a
surname; "is this an amount?" for a literal) through a role, never through a label's spelling, so
that a pipeline with its own labels (a CoNLL04-trained NER says ``Peop``, ``Loc``, ``Org``, not
OntoNotes' ``PERSON``, ``GPE``, ``ORG``) drives the same rules. A label the extractor adds itself
(an honorific's or a definition's vote) is written in the loaded NER's own label for the role.

The roles are the kgn classes an entity is written as in RDF (:data:`ROLE_CLASSES`), so a ``Peop``
entity is a ``kgn:Person`` like a ``PERSON`` one. :class:`LabelRoles` is the map; the default is
OntoNotes' (en_core_web_sm), and any map is completed with OntoNotes' entries for the labels it
does not name, so a fine-tuned pipeline's leftover OntoNotes labels (``DATE``) keep their role.
``kgn train ner`` saves the map of the labels it trained in the pipeline folder's ``meta.json``
(:data:`META_KEY`), and :func:`pipeline_roles` reads it back when the folder is loaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping

from kg.errors import KgnError, UnknownNameError

# role -> the kgn class (kg.vocab type) an entity in that role is written as
ROLE_CLASSES = {
    "person": "Person", "organisation": "Organization", "place": "Place", "location": "Location",
    "facility": "Facility", "group": "Group", "product": "Product", "event": "Event", "work": "Work",
    "law": "Law", "language": "Language", "date": "Date", "time": "Time", "percent": "Percent",
    "money": "Money", "quantity": "Quantity", "ordinal": "Ordinal", "number": "Number",
}
# Amounts are values (literals), never entity nodes (kg.extract.literals).
AMOUNT_ROLES = frozenset({"date", "time", "percent", "money", "quantity", "ordinal", "number"})
# The OntoNotes labels of en_core_web_sm (spaCy's English pipelines), one per role.
ONTONOTES = (
    ("PERSON", "person"), ("ORG", "organisation"), ("GPE", "place"), ("LOC", "location"),
    ("FAC", "facility"), ("NORP", "group"), ("PRODUCT", "product"), ("EVENT", "event"),
    ("WORK_OF_ART", "work"), ("LAW", "law"), ("LANGUAGE", "language"), ("DATE", "date"),
    ("TIME", "time"), ("PERCENT", "percent"), ("MONEY", "money"), ("QUANTITY", "quantity"),
    ("ORDINAL", "ordinal"), ("CARDINAL", "number"),
)
_ONTONOTES_LABEL = {role: label for label, role in ONTONOTES}
ROLES_KEY = "kgn_label_roles"  # doc.user_data: the LabelRoles the document is read with
META_KEY = "kgn_ner"           # nlp.meta section of a kgn-trained pipeline; its "label_roles" entry


@dataclass(frozen=True)
class LabelRoles:
    """NER label -> role (see the module docstring); labels without a role are only labels.

    ``pairs``: ``(label, role)`` in order; where several labels share a role, the first is the one
    the extractor writes its own votes in. Build one with :meth:`of` (completes it with OntoNotes'
    entries) or :meth:`parse`; ``LabelRoles()`` is the OntoNotes map. Unknown roles are refused
    with the choices listed.
    """

    pairs: tuple[tuple[str, str], ...] = ONTONOTES
    _role: dict = field(init=False, repr=False, compare=False, hash=False)
    _label: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        role_of: dict[str, str] = {}
        for pair in self.pairs:
            label, role = pair
            if not isinstance(label, str) or not label.strip() or label != label.strip():
                raise KgnError(f"entity label {label!r} in a label-role map is empty or has spaces around it")
            if role not in ROLE_CLASSES:
                raise UnknownNameError("entity role", role, ROLE_CLASSES)
            if label in role_of:
                raise KgnError(f"entity label {label!r} is given a role twice in a label-role map")
            role_of[label] = role
        first: dict[str, str] = {}
        for label, role in self.pairs:
            first.setdefault(role, label)
        object.__setattr__(self, "_role", role_of)
        object.__setattr__(self, "_label", first)

    def __reduce__(self):  # workers get the pairs, not the derived tables
        return (LabelRoles, (self.pairs,))

    @classmethod
    def of(cls, given: "Mapping[str, str] | LabelRoles | str | None" = None,
           base: "LabelRoles | None" = None) -> "LabelRoles":
        """``given`` (a mapping, ``"LABEL=ROLE,..."`` text or a map) followed by ``base``'s
        entries (default: OntoNotes) for the labels it does not name."""
        if isinstance(given, str):
            pairs = parse_label_roles(given)
        elif isinstance(given, LabelRoles):
            pairs = given.pairs
        else:
            pairs = tuple((given or {}).items())
        cls(pairs)  # checks the given entries themselves, before they are completed
        named = {label for label, _ in pairs}
        rest = (base or ONTONOTES_ROLES).pairs
        return cls(tuple(pairs) + tuple(p for p in rest if p[0] not in named))

    @classmethod
    def parse(cls, text: str) -> "LabelRoles":
        """``"Peop=person,Loc=place,Org=organisation"`` -> the map (completed with OntoNotes')."""
        return cls.of(text)

    def role(self, label: str | None) -> str | None:
        """The role of ``label`` (None: the label has none, or no label)."""
        return self._role.get(label) if label is not None else None

    def label(self, role: str) -> str | None:
        """The label that plays ``role`` (the first one given), or None when none does."""
        return self._label.get(role)

    def labels(self, *roles: str) -> frozenset[str]:
        """Every label that plays one of ``roles``."""
        return frozenset(label for label, role in self.pairs if role in roles)

    def kind(self, label: str) -> str:
        """What a label says an entity is: its role, or the label itself when it has none (two
        labels of one role are the same kind of thing)."""
        return self._role.get(label, label)

    def class_of(self, label: str) -> str:
        """The kgn class of an entity with ``label``: its role's class, else the label itself."""
        role = self._role.get(label)
        return ROLE_CLASSES[role] if role is not None else label

    def ontonotes(self, label: str | None) -> str | None:
        """The OntoNotes label of ``label``'s role (for tables written in OntoNotes labels, such as
        :func:`kg.extract.literals.literal_value`'s); a label without a role is returned as is."""
        role = self.role(label)
        return _ONTONOTES_LABEL[role] if role is not None else label

    def is_amount(self, label: str | None) -> bool:
        return self.role(label) in AMOUNT_ROLES

    @property
    def default(self) -> bool:
        """The OntoNotes map (en_core_web_sm's)."""
        return self.pairs == ONTONOTES

    def as_dict(self) -> dict[str, str]:
        return dict(self.pairs)

    def digest(self) -> str:
        """A short fingerprint of the map (ledger keys)."""
        text = "\x1f".join(f"{label}={role}" for label, role in self.pairs)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def __str__(self) -> str:
        return ",".join(f"{label}={role}" for label, role in self.pairs)


def parse_label_roles(text: str) -> tuple[tuple[str, str], ...]:
    """``"Peop=person,Loc=place"`` -> ``(("Peop", "person"), ("Loc", "place"))``, as written (the
    CLI's ``--label-roles``); :class:`LabelRoles` checks the roles."""
    out = []
    for item in text.split(","):
        if not item.strip():
            continue
        label, sep, role = item.partition("=")
        if not sep or not label.strip() or not role.strip():
            raise KgnError(f"label-role map {text!r}: {item.strip()!r} is not LABEL=ROLE "
                           f"(e.g. Peop=person,Loc=place,Org=organisation)")
        out.append((label.strip(), role.strip().lower()))
    if not out:
        raise KgnError(f"label-role map {text!r} names no label (LABEL=ROLE,...)")
    return tuple(out)


ONTONOTES_ROLES = LabelRoles()


def saved_roles(meta: Mapping) -> LabelRoles | None:
    """The map a kgn-trained pipeline saved in its ``meta`` (None: it saved none)."""
    saved = (meta or {}).get(META_KEY, {}).get("label_roles") if isinstance(meta, Mapping) else None
    if not saved:
        return None
    if not isinstance(saved, Mapping):
        raise KgnError(f"spaCy pipeline meta: {META_KEY}.label_roles is not a LABEL -> ROLE object")
    return LabelRoles.of(saved)


def pipeline_roles(nlp, given: LabelRoles | None = None) -> LabelRoles:
    """The map the extractor reads ``nlp``'s labels with: ``given``, else the one saved with a
    kgn-trained pipeline, else OntoNotes'."""
    if given is not None:
        return given
    return saved_roles(getattr(nlp, "meta", None) or {}) or ONTONOTES_ROLES


def doc_roles(doc) -> LabelRoles:
    """The map ``doc`` is read with (set by the extractor; OntoNotes' for a plain parse)."""
    return doc.user_data.get(ROLES_KEY, ONTONOTES_ROLES)
