"""Mention grouping within one document: which mentions name the same thing.

Rules, applied in this order over the mentions of :func:`kg.extract.mentions.find_mentions`
(each is tested on hand-written sentences in ``tests/kg/extract/test_grouping.py``):

1. **same name**: mentions with the same canonical name (case-insensitive), or the same name once
   an honorific is dropped ("Mr Blair" = "Blair"), are one group;
2. **short names**: a group whose name is part of a longer name of a compatible group is that
   group: a surname of a person ("Blair", "Mr Blair" -> "Tony Blair"; "Schneider" ->
   "Wilfried Schneider"), the name without its middle names or initials ("George Bush" -> "George
   W Bush"), an organisation without its legal or club suffix ("Acme" -> "Acme Corporation",
   "Fyllingen" -> "Fyllingen IL"), by its head noun ("Parliament" -> "Norwegian Parliament"), a
   team by its nickname ("Vikings" -> "Minnesota Vikings"), or without its head noun ("Johns
   Hopkins" -> "Johns Hopkins University"); never a place by part of a place name ("Albany",
   "Albany County"). A name with an honorific only joins a person. The one longer name before
   the short one wins (several: ambiguous, none); with none before, the only one after;
3. **acronyms**: a parenthesised acronym or long form ("convolutional neural network (CNN)"), and
   an acronym anywhere in the document that spells the initials of exactly one multi-word name
   ("FIBT" ... "Fédération Internationale de Bobsleigh et de Tobogganing" does not spell, "UN"
   ... "United Nations" does);
4. **definite descriptions**: "the university" after "University of Toronto" (the noun is a word
   of the name), "the company" after a named organisation (a small noun -> NER label table), the
   most recent such group in the sentence or the two before it;
5. **pronouns**: he/she/him/his/her stand for the one person group mentioned in the sentence so
   far or the previous one (several: the most recent one that was a subject; none: the last person
   mentioned); it/its for the one named non-person group there (an expletive "it" is skipped).
   A simple heuristic, not coreference resolution (Lee et al. 2013's sieve orders similar rules
   from precise to lenient; this keeps only the precise end).

Amounts (dates, times, numbers, money, percentages, quantities) are not grouped: they become
literals (:mod:`kg.extract.literals`).

The type of a group is a vote of its named mentions' NER labels, weighted by the number of words
of each mention (a full name is typed more reliably than a surname); an honorific votes for a
person, a definition for its class noun (:mod:`kg.extract.classes`), a class noun heading a name
("Crossgates Mall", "University of Toronto") for its class, just over the model's label of that
name, and a lone name as the object of a bare "in" ("studied in Pwani") for a place. The result
keeps the votes, so conflicting evidence survives into provenance.

The rules ask what a group is through the roles of its labels (:mod:`kg.extract.roles`: "is this
a person?"), and cast their own votes (an honorific's, a definition's, the person-name pattern's)
in the loaded NER's label for the role, so a pipeline with its own labels (``Peop``) groups and
types as en_core_web_sm's OntoNotes labels do.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from kg.extract.classes import CLASS_NOUNS, defined_label, defined_role, head_label
from kg.extract.mentions import CONCEPT, canonical_name, is_acronym
from kg.extract.roles import LabelRoles, doc_roles
from kg.vocab import canonical

COREF_KEY = "kgn_coref"  # doc.user_data: pronoun token index -> a mention span of its group

HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "senator", "sen", "rep", "gov", "governor", "mayor", "king", "queen", "prince",
    "princess", "pope", "general", "gen", "col", "colonel", "capt", "captain", "chancellor",
    "minister", "judge", "justice", "rev", "reverend", "father", "mister", "madame", "mme",
    "herr", "frau", "chairman", "coach", "sheikh", "ayatollah", "cardinal", "bishop",
}
ORG_SUFFIXES = {
    "inc", "inc.", "corp", "corp.", "corporation", "ltd", "ltd.", "limited", "company", "co", "co.",
    "group", "plc", "llc", "ag", "gmbh", "sa", "s.a.", "holdings", "fc", "f.c.", "afc", "club",
    "incorporated", "llp", "nv", "bv", "spa", "s.p.a.",
    # Nordic sports clubs: idrettslag, idrottsförening, bollklubb, fotballklubb, sportsklubb
    "il", "if", "ik", "bk", "fk", "sk", "fotball",
}
# Head nouns of organisation names that also name them alone ("the Commission").
ORG_HEADS = {
    "parliament", "commission", "legislature", "council", "assembly", "committee", "court",
    "senate", "congress", "party", "university", "college", "school", "army", "navy", "church",
    "league", "association", "institute", "museum", "academy", "government", "ministry",
    "department", "agency", "bank", "foundation", "society", "union", "federation", "board",
}
# Trailing words an organisation's short name drops ("Blue Note" for "Blue Note Records"); not
# names alone, so not ORG_HEADS ("the Records" does not stand for it).
ORG_TAILS = ORG_HEADS | {
    "records", "airways", "airlines", "studios", "pictures", "entertainment", "motors", "press",
    "publishing", "publishers", "games", "media", "broadcasting", "railway", "railways", "orchestra",
    "industries", "international", "enterprises", "technologies", "systems", "electronics",
}
# The named groups a definite description ("the company", "the river") can stand for: those whose
# role is in the family of the noun's role (kg.extract.classes.CLASS_NOUNS); people are left to
# the pronoun rule, and a generic "the place" stands for nothing.
DESCRIPTION_FAMILIES = {
    "organisation": {"organisation"}, "place": {"place"}, "location": {"location"},
    "facility": {"facility", "organisation"}, "work": {"work", "product"},
    "product": {"product", "work"}, "event": {"event"}, "law": {"law"},
}
_GENERIC_NOUNS = {"place", "group", "order", "act", "play", "show", "single"}
# A definition's vote (kg.extract.classes) against a mention's NER label (one per word): a
# definition outweighs the label of a two-word name, not that of several mentions.
DEFINITION_WEIGHT = 3.0
HEAD_MARGIN = 0.5
PLACED_WEIGHT = 1.5  # one "in X" outweighs the label of a one-word name
GENERATIONS = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_PERSON_PRONOUNS = {"he", "she", "him", "his", "her", "hers", "himself", "herself"}
_THING_PRONOUNS = {"it", "its"}
_SMALL = {"of", "the", "and", "de", "la", "le", "du", "von", "van", "der", "den", "for", "&", "in"}


@dataclass
class Mention:
    """One mention: its span, canonical name, NER label (None: a concept) and name words."""

    span: Span
    name: str
    label: str | None
    words: list[str]            # the name's words, honorific and possessive dropped, casefolded
    honorific: bool = False
    name_like: bool = False     # a named entity, or a proper-noun phrase the NER missed
    kind: str = "name"          # name | concept | description | pronoun
    defined: str | None = None  # the label a definition gives it ("X is a village": GPE)
    head: str | None = None     # the label its head noun gives it ("Crossgates Mall": FAC)
    placed: bool = False        # the object of a bare "in" ("born in Foix")


@dataclass
class Group:
    """Mentions of one thing. ``votes``: NER label -> weight."""

    mentions: list[Mention] = field(default_factory=list)
    votes: dict[str, float] = field(default_factory=dict)
    person_pattern: bool = False  # "First Last" ... "Last": a person whatever the NER said

    @property
    def first(self) -> int:
        return min(m.span.start for m in self.mentions)

    def names(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind in ("name", "concept")]

    @property
    def label(self) -> str | None:
        return top_label(self.votes)

    @property
    def confidence(self) -> float:
        total = sum(self.votes.values())
        return self.votes[self.label] / total if total else 0.0

    def best(self) -> Mention:
        """The mention whose name names the group: the longest named one, the first on ties;
        an acronym never wins over its long form."""
        named = self.names() or self.mentions
        return max(named, key=lambda m: (not is_acronym(m.name), m.name_like,
                                         len(m.words), -m.span.start))


def is_literal_span(span: Span, roles: LabelRoles | None = None) -> bool:
    """An amount: a mention labelled a date, time, number, money, percent or quantity (its role,
    ``roles`` default: the document's), or a bare number."""
    if (roles or doc_roles(span.doc)).is_amount(span.label_):
        return True
    return all(t.like_num or t.pos_ in ("NUM", "PUNCT", "SYM") for t in span)


class MentionGroups:
    """Groups the mention spans of one parsed document (see the module docstring)."""

    def __init__(self, doc: Doc, spans: list[Span]):
        self.doc = doc
        self.roles = roles = doc_roles(doc)
        self.mentions = [self._mention(s) for s in spans if not is_literal_span(s, roles)]
        self.literals = [s for s in spans if is_literal_span(s, roles)]
        self.group_of: dict[int, int] = {}         # mention index -> group id
        self.groups: dict[int, Group] = {}
        self._by_key: dict[str, int] = {}
        self._same_name()
        self._parenthesised_acronyms()
        self._short_names()
        self._acronyms()
        self._descriptions()
        self.coref: dict[int, Span] = {}
        self._pronouns()
        for g in self.groups.values():
            g.votes = _votes(g, roles)
        doc.user_data[COREF_KEY] = self.coref

    # -- building -------------------------------------------------------------------------------
    def _mention(self, span: Span) -> Mention:
        name = canonical_name(span)
        label = span.label_ if span.label_ and span.label_ != CONCEPT else None
        words = name.split()
        honorific = False
        while len(words) > 1 and words[0].casefold().rstrip(".") in HONORIFICS:
            words = words[1:]
            honorific = True
        prev = self.doc[span.start - 1] if span.start > 0 else None
        if not honorific and prev is not None and prev.text.casefold().rstrip(".") in HONORIFICS \
                and prev.text[:1].isupper() and (label is None or self.roles.role(label) == "person"):
            honorific = True  # "Mr [Blair]": the title is outside the NER span
        name_like = label is not None or (
            span.root.pos_ == "PROPN" and all(w[:1].isupper() or w in _SMALL for w in name.split()))
        kind = "name" if name_like else "concept"
        if not name_like and prev is not None and prev.lower_ == "the" and len(span) == 1 \
                and span.root.pos_ == "NOUN":
            kind = "description"
        words = [w.casefold().strip(",") for w in words]
        defined = defined_label(span) if name_like else None
        head = head_label(span) if name_like else None
        # "born in Foix", "lives in Sacramento": the object of a bare "in" is a place far more
        # often than the person or organisation the small model took a lone name for
        placed = (prev is not None and prev.lower_ == "in" and span.root.dep_ == "pobj"
                  and self.roles.role(label) in ("person", "organisation"))
        return Mention(span, name, label, [w for w in words if w], honorific, name_like, kind,
                       defined, head, placed)

    def _new(self, i: int) -> int:
        gid = len(self.groups)
        self.groups[gid] = Group([self.mentions[i]])
        self.group_of[i] = gid
        return gid

    def _join(self, i: int, gid: int) -> None:
        old = self.group_of.get(i)
        if old == gid:
            return
        if old is not None:
            self.groups[old].mentions.remove(self.mentions[i])
            if not self.groups[old].mentions:
                del self.groups[old]
        self.group_of[i] = gid
        self.groups[gid].mentions.append(self.mentions[i])

    def _merge(self, src: int, dst: int) -> None:
        if src == dst:
            return
        for i, g in list(self.group_of.items()):
            if g == src:
                self.group_of[i] = dst
        gone = self.groups.pop(src)
        self.groups[dst].mentions += gone.mentions
        self.groups[dst].person_pattern |= gone.person_pattern
        for k, g in list(self._by_key.items()):
            if g == src:
                self._by_key[k] = dst

    def _same_name(self) -> None:
        for i, m in enumerate(self.mentions):
            keys = [m.name.casefold()]
            if m.name_like:
                keys.append(" ".join(m.words))
            gid = next((self._by_key[k] for k in keys if k in self._by_key), None)
            if gid is None:
                gid = self._new(i)
            else:
                self._join(i, gid)
            for k in keys:
                self._by_key.setdefault(k, gid)

    def _parenthesised_acronyms(self) -> None:
        """"long form (ACR)" or "ACR (long form)": one group."""
        doc = self.doc
        at = {m.span.start: i for i, m in enumerate(self.mentions)}
        for i, m in enumerate(self.mentions):
            s = m.span
            if s.end >= len(doc) or doc[s.end].text != "(":
                continue
            close = next((k for k in range(s.end + 1, min(len(doc), s.end + 12))
                          if doc[k].text == ")"), None)
            if close is None or close == s.end + 1:
                continue
            inner = doc[s.end + 1:close]
            j = at.get(inner.start)
            if is_acronym(inner.text) and acronym_matches(inner.text, m.name):
                key = inner.text.casefold()
                if j is not None:
                    self._merge(self.group_of[j], self.group_of[i])
                else:
                    self._by_key.setdefault(key, self.group_of[i])
            elif is_acronym(s.text) and j is not None and acronym_matches(s.text, self.mentions[j].name):
                self._merge(self.group_of[i], self.group_of[j])

    def _short_names(self) -> None:
        # longest names first: "J. H. Dearle" joins "John Henry Dearle" (and "US Airways Group"
        # "US Airways Group Inc.") before "Dearle" ("US Airways") looks for its one longer name
        def order(gid: int) -> tuple[int, int]:
            named = [m for m in self.groups[gid].mentions if m.name_like]
            return (-min((len(m.words) for m in named), default=0), self.groups[gid].first)

        # each group's best name, kept up to date through the merges below: recomputing it for
        # every (group, other group) pair made this pass most of the extractor's own time
        best = {gid: g.best() for gid, g in self.groups.items()}
        for gid in sorted(self.groups, key=order):
            group = self.groups.get(gid)
            if group is None:
                continue
            named = [m for m in group.mentions if m.name_like]
            if not named:
                continue
            short = min(named, key=lambda m: len(m.words))
            short_words = set(short.words)
            cands = []
            for other_id, other in self.groups.items():
                if other_id == gid:
                    continue
                long = best[other_id]
                # every way of naming a longer name shares a word with it: a cheap test first
                if long.name_like and not short_words.isdisjoint(long.words) and _longer(long, short) and \
                        _compatible(group, short, other, self.roles) and \
                        _part_of(short, long, other, self.roles):
                    cands.append(other_id)
            if not cands:
                continue
            start = group.first
            before = [c for c in cands if self.groups[c].first < start]
            if len(before) == 1:
                target = before[0]
            elif before:
                continue  # "Alger" after "Harry Alger" and "Ross Alger": ambiguous, left alone
            elif len(cands) == 1:
                target = cands[0]
            else:
                continue
            if not _votes(self.groups[target], self.roles):
                self.groups[target].person_pattern = True
            self._merge(gid, target)
            del best[gid]
            best[target] = self.groups[target].best()

    def _acronyms(self) -> None:
        for gid in list(self.groups):
            group = self.groups.get(gid)
            if group is None:
                continue
            acr = [m for m in group.mentions if is_acronym(m.name) and len(m.words) == 1]
            if not acr or any(len(m.words) > 1 for m in group.names()):
                continue
            cands = {other_id for other_id, other in self.groups.items() if other_id != gid
                     for m in other.names() if len(m.name.split()) > 1
                     and (m.name_like or m.name[:1].islower())
                     and acronym_matches(acr[0].name, m.name)}
            if len(cands) == 1:
                self._merge(gid, cands.pop())

    def _descriptions(self) -> None:
        at = {m.span.root.i: i for i, m in enumerate(self.mentions)}
        for i, m in enumerate(self.mentions):
            if m.kind != "description":
                continue
            root = m.span.root
            noun = root.lemma_.casefold()
            # "the town of Yandina" is Yandina (not "the king of Spain": places only)
            of = [c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"]
            named = [at.get(p.i) for c in of for p in c.children if p.dep_ == "pobj"]
            if named and named[0] is not None and self.mentions[named[0]].name_like:
                if defined_role(self.mentions[named[0]].span) in ("place", "location"):
                    self._join(i, self.group_of[named[0]])
                continue
            role = CLASS_NOUNS.get(noun)
            family = DESCRIPTION_FAMILIES.get(role, set()) if noun not in _GENERIC_NOUNS else set()
            window = self._sentence_start(m.span.start, back=2)
            for j in range(i - 1, -1, -1):
                other = self.mentions[j]
                # the noun as a word of the name ("the university") may reach further back
                if other.name_like and (noun in other.words or (
                        other.span.start >= window and
                        self.roles.role(self._label(self.group_of[j])) in family)):
                    self._join(i, self.group_of[j])
                    break

    def _label(self, gid: int) -> str | None:
        return top_label(_votes(self.groups[gid], self.roles))

    def _sentence_start(self, token_i: int, back: int) -> int:
        sent = self.doc[token_i].sent
        for _ in range(back):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
        return sent.start

    def _pronouns(self) -> None:
        doc = self.doc
        token_group = {}
        for i, m in enumerate(self.mentions):
            for t in range(m.span.start, m.span.end):
                token_group[t] = self.group_of[i]
        order = sorted(((m.span.start, self.group_of[i], m) for i, m in enumerate(self.mentions)
                        if m.name_like), key=lambda x: x[0])
        for tok in doc:
            low = tok.lower_
            if tok.pos_ != "PRON" or low not in _PERSON_PRONOUNS | _THING_PRONOUNS:
                continue
            person = low in _PERSON_PRONOUNS
            if not person and (tok.dep_ == "expl" or any(
                    c.dep_ in ("ccomp", "xcomp", "csubj") for c in tok.head.children)):
                continue
            window = self._sentence_start(tok.i, back=1)
            seen = [(start, gid, m) for start, gid, m in order if start < tok.i]
            near = [(s, g, m) for s, g, m in seen if s >= window and self._fits(g, person)]
            gids = list(dict.fromkeys(g for _, g, _ in reversed(near)))
            target = None
            if len(gids) == 1:
                target = gids[0]
            elif gids:
                subj = [g for s, g, m in reversed(near)
                        if m.span.root.dep_ in ("nsubj", "nsubjpass")]
                target = subj[0] if subj else None
            elif person:
                far = [g for _, g, _ in reversed(seen) if self._fits(g, True)]
                target = far[0] if far else None
            if target is None:
                continue
            group = self.groups[target]
            rep = group.best()
            self.coref[tok.i] = rep.span
            group.mentions.append(Mention(doc[tok.i:tok.i + 1], tok.text, None, [low],
                                          kind="pronoun"))

    def _fits(self, gid: int, person: bool) -> bool:
        top = self._label(gid)
        role = self.roles.role(top)
        if person:
            return role == "person"
        return top is not None and role not in ("person", "group", "language")


def top_label(votes: dict[str, float]) -> str | None:
    """The label with the most votes; ties go to the alphabetically first, so runs agree."""
    return max(sorted(votes), key=lambda k: votes[k]) if votes else None


def _votes(group: Group, roles: LabelRoles) -> dict[str, float]:
    """The group's type votes: NER labels, plus the votes the rules cast in ``roles``' labels: for a
    person (an honorific, the person-name pattern), for a place (a lone name after a bare "in"),
    and for the class of a definition's or a head noun's noun (see the module docstring)."""
    votes: dict[str, float] = defaultdict(float)
    person, place = roles.label("person"), roles.label("place")
    # "convolutional neural network (CNN)": the small model tags most acronyms ORG; when the long
    # form is a common-noun phrase, the acronym's label says nothing about the thing
    concept_long = any(m.kind == "concept" and len(m.words) > 1 for m in group.mentions)
    # one vote per distinct name and label: the model typing one string the same way five times
    # is one piece of evidence, not five
    seen, headed = set(), set()
    for m in group.mentions:
        if concept_long and is_acronym(m.name):
            continue
        if m.kind == "name" and m.label is not None and (m.name.casefold(), m.label) not in seen:
            seen.add((m.name.casefold(), m.label))
            votes[m.label] += max(1, len(m.words))
        if m.placed and place is not None:
            votes[place] += PLACED_WEIGHT
        if m.head and m.name.casefold() not in headed:
            # a head noun outweighs the model's label of the same name, not a second name's
            headed.add(m.name.casefold())
            votes[m.head] += len(m.words) + HEAD_MARGIN
        if m.honorific and person is not None:
            votes[person] += 2
        if m.defined:
            votes[m.defined] += DEFINITION_WEIGHT
    if group.person_pattern and person is not None:
        votes[person] += 3
    return dict(votes)


def acronym_matches(acronym: str, name: str) -> bool:
    """True if ``acronym`` spells the initials of ``name`` (small words optional)."""
    letters = "".join(c for c in acronym.lower() if c.isalpha())
    words = [w for w in name.lower().replace("-", " ").replace("/", " ").split() if w]
    full = "".join(w[0] for w in words if w[0].isalnum())
    content = "".join(w[0] for w in words if w not in _SMALL and w not in ("a", "an", "on", "to")
                      and w[0].isalnum())
    return bool(letters) and letters in (full, content)


def _compatible(short_group: Group, short: Mention, long_group: Group, roles: LabelRoles) -> bool:
    long_label = top_label(_votes(long_group, roles))
    if long_label is None:
        # an untyped proper name of two or three capitalised words ("Wilfried Schneider") and
        # its last word alone: the person-name pattern
        long = long_group.best()
        return long.name_like and 2 <= len(long.words) <= 3 and len(short.words) == 1 and \
            all(w[:1].isupper() for w in long.name.split()) and short.words[0] == long.words[-1]
    long_role = roles.role(long_label)
    if short.honorific:
        return long_role == "person"
    short_kinds = {roles.kind(m.label) for m in short_group.mentions if m.label}
    if long_role == "person":
        return True  # the small model often types a lone surname as a place or organisation
    return not short_kinds or short_kinds <= {roles.kind(long_label)}


def _initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[:1].isalpha()


def _longer(long: Mention, short: Mention) -> bool:
    """``long`` can be the fuller name of ``short``: more words, or as many with fewer initials."""
    if len(long.words) != len(short.words):
        return len(long.words) > len(short.words)
    return sum(map(_initial, long.words)) < sum(map(_initial, short.words))


def _part_of(short: Mention, long: Mention, long_group: Group, roles: LabelRoles) -> bool:
    """``short``'s words name ``long`` (see rule 2 of the module docstring)."""
    w, lw = short.words, long.words
    if not w or is_acronym(short.name):
        return False
    label = top_label(_votes(long_group, roles))
    person = roles.role(label) == "person" if label is not None else long.name_like
    if person:
        while len(lw) > 2 and lw[-1] in GENERATIONS:
            lw = lw[:-1]  # "Paul Desmarais Jr." is "Paul Desmarais"
        if len(w) == 1:
            if w[0] == lw[-1]:
                return True
            # a first name alone is too often someone else's; a later name of three or more
            # ("Endara" in "Guillermo David Endara Galimany", a Spanish double surname) is the
            # person when the short one is itself typed a person
            return len(lw) >= 3 and w[0] in lw[1:] and w[0] not in _SMALL and \
                roles.role(short.label) == "person"
        if len(w) == len(lw):
            # "J. H. Dearle" is "John Henry Dearle": same last word, initials of the others
            return w[-1] == lw[-1] and w != lw and all(
                a == b or (_initial(a) and a[0] == b[0]) for a, b in zip(w[:-1], lw[:-1]))
        # "George Bush" in "George W Bush": same last word, the rest in order
        it = iter(lw)
        return w[-1] == lw[-1] and all(x in it for x in w) and w != lw
    core = list(lw)
    while len(core) > 1 and core[-1] in ORG_SUFFIXES:
        core.pop()
    if core and core[0] == "the":
        core = core[1:]
    if w == core and len(core) < len(lw):
        return True
    if any(x in _SMALL for x in lw) or (long.label is not None and roles.role(long.label) != "organisation"):
        return False  # "Toronto" does not name "University of Toronto", nor "Albany" "Albany County"
    # an organisation by its head noun ("the Parliament" -> "Norwegian Parliament"), or without
    # its head noun ("Johns Hopkins" -> "Johns Hopkins University")
    if len(w) == 1 and w[0] == lw[-1]:
        # a team by its nickname ("the Vikings" -> "Minnesota Vikings"): a capitalised plural
        nickname = short.name[:1].isupper() and w[0].endswith("s") and not w[0].endswith("ss") \
            and w[0] not in ORG_TAILS
        return w[0] in ORG_HEADS or nickname
    return w == lw[:len(w)] and len(w) < len(lw) and all(
        x in ORG_TAILS or x in ORG_SUFFIXES for x in lw[len(w):])


def mention_key(name: str) -> str:
    return canonical(name).casefold()
