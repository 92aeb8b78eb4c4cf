"""Rule-based relations read off spaCy's dependency parse (ClearNLP labels of en_core_web_sm).

Patterns (each emits triples between mention spans; the pattern name goes in ``Relation.kind``):

- ``svo``      active subject-verb-object: "Turing wrote the paper" -> (Turing, write, paper)
- ``prep``     verb + preposition: "Turing worked for the government" -> (.., work for, ..)
- ``passive``  passive with agent, turned active: "X was founded by Y" -> (Y, found, X)
- ``passive-prep`` passive without agent keeps the participle: "X is located in Y" -> (X, located in, Y)
- ``copula-type`` / ``copula-subclass``: "Turing is a mathematician" -> (Turing, type, mathematician);
  "dogs are mammals" -> (dog, subclass of, mammal)
- ``copula-prep`` / ``copula-poss`` / ``copula-adj`` / ``copula-inverse``: "X is a professor at Y" ->
  (X, professor at, Y); "X is Y's capital" -> (X, capital of, Y); "X is famous for Y" -> (X, famous
  for, Y); "the capital of Y is X" -> (X, capital of, Y)
- ``appos*``   appositives: "X, a professor at Y," -> (X, type, professor), (X, professor at, Y);
  "Y's founder, X," -> (X, founder of, Y)
- ``copula-poss-attr`` "Alice's profession is engineer" -> (Alice, profession, engineer)
- ``possessive`` "Y's headquarters" -> (Y, have, headquarters)
- ``appos-loc`` "Livingston, Texas" -> (Livingston, located in, Texas); ``amod-prep`` "a
  Cleveland-based company" -> (company, based in, Cleveland)
- ``have-attr`` "X has an epoch date of D" -> (X, epoch date, D); ``copula-compound-attr`` "the X
  runway length is 2000 metres" -> (X, runway length, 2000 metres); a number or quantity
  complement is a value, never a type or class
- ``name-prep`` "the hospital X in Gosforth" -> (X, located in, Gosforth); "Bob Dole of Kansas"
  -> (Bob Dole, from, Kansas)
- ``passive-oprd`` "X was born Y in Z" -> (X, born as, Y), (X, born in, Z)
- prepositional phrases: a second phrase with the same preposition on the object is another
  object ("located in the US in Cleveland"); gapping ("A is in B and C in D") is read as two
  statements; "whose" and relative clauses on a copula complement ("X was the man who ...")
  take the noun's owner / the copula subject
- pronouns: "he/she/it" as the subject opening a sentence, or "his/her/its" on that subject,
  stand for the previous sentence's main subject when it is named and of the right sort (a
  cheap heuristic, not coreference resolution); other pronouns are never arguments
- relative clauses and participles take the noun they modify as subject ("X, who founded Y";
  "a company based in Z"); coordinated subjects, verbs and objects are distributed.

Statements under a negation ("not", "never", "n't") are returned with ``negated=True`` and are
never asserted. The rules walk the parse directly rather than through ``DependencyMatcher``: the
subject of a coordinated or relative verb lives outside any fixed-size pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import DEP, HEAD, SENT_START
from spacy.tokens import Doc, Span, Token

from kg.extract.grouping import COREF_KEY
from kg.extract.mentions import CONCEPT, canonical_name, is_acronym, token_index, token_span
from kg.extract.model import SUBCLASS_PREDICATE, TYPE_PREDICATE
from kg.extract.relations.base import Relation, RelationMethod
from kg.extract.roles import AMOUNT_ROLES, doc_roles

# Prior confidence of each pattern (hand-set: how often the pattern states what it seems to;
# not calibrated). Named-entity arguments add BOTH_NAMED_BONUS.
CONFIDENCE = {
    "svo": 0.8, "prep": 0.75, "svo-of": 0.6, "passive": 0.8, "passive-prep": 0.75,
    "copula-type": 0.8, "copula-subclass": 0.7, "copula-prep": 0.75, "copula-poss": 0.7,
    "copula-adj": 0.65, "copula-inverse": 0.75, "copula-loc": 0.7, "copula-poss-attr": 0.7,
    "appos-type": 0.75, "appos": 0.7, "appos-poss": 0.65, "appos-inverse": 0.7,
    "light": 0.6, "passive-dobj": 0.7, "copula-poss-loc": 0.65, "nationality": 0.7,
    "life-dates": 0.75,
    "appos-loc": 0.7, "have-attr": 0.7, "copula-compound-attr": 0.6, "passive-oprd": 0.65,
    "amod-prep": 0.6, "name-prep": 0.55, "date-modifier": 0.6,
}
BOTH_NAMED_BONUS = 0.1

_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_INDEFINITE = {"a", "an"}
_REL_PRONOUNS = {"who", "which", "that", "whom", "whose"}
# Pronouns read as the previous sentence's subject when they open a sentence (see _Reader.arg).
_PERSONAL = {"he": "person", "she": "person", "his": "person", "her": "person",
             "him": "person", "it": "thing", "its": "thing"}
# Light verbs: with a generic noun object the noun carries the meaning ("take part in").
LIGHT_VERBS = {"have", "take", "make", "give", "get", "do", "hold", "pay", "put"}
# "the city of Aarhus" is Aarhus: the object of "serve the city of X" is X.
CONTAINER_NOUNS = {"city", "town", "village", "state", "country", "province", "region", "county",
                   "district", "island", "municipality", "borough", "area", "port"}
# English verb particles the small parser often labels advmod ("passed away", "set up").
_PARTICLES = {"away", "up", "down", "off", "out", "over", "back", "on", "in"}


@dataclass
class RuleRelation(Relation):
    """A rule relation with the predicate as written ("worked at" for ``work at``)."""

    surface: str = ""


class RuleRelations(RelationMethod):
    """Subject-verb-object, passive, copula, preposition, appositive and possessive rules."""

    name = "rules"
    version = "3"

    def __call__(self, doc: Doc) -> list[Relation]:
        return _Reader(doc).read()


class _Reader:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.index = token_index(doc)
        self.coref = doc.user_data.get(COREF_KEY)
        self.out: list[Relation] = []
        # The NER labels of each role the rules test (kg.extract.roles: the loaded NER's labels).
        # Amounts: a copula complement with one of these is a value, never a class.
        roles = doc_roles(doc)
        self.persons, self.places = roles.labels("person"), roles.labels("place", "location")
        self.amounts, self.dates = roles.labels(*AMOUNT_ROLES), roles.labels("date")
        self.facilities, self.nationalities = roles.labels("facility"), roles.labels("group")
        self.sited = roles.labels("organisation", "facility", "place", "location")
        # One pass over the token attribute array (cheaper than a Token object per token):
        # tokens in a coordination (Token.conjuncts walks the tree each call), and each token's
        # sentence number with each sentence's first token (evidence spans, pronouns).
        arr = doc.to_array([DEP, HEAD, SENT_START]).view("int64").tolist()  # relative heads
        conj = doc.vocab.strings["conj"]
        self.coordinated = set()
        self.sent_no: list[int] = []
        self.sent_starts: list[int] = []
        for i, (dep, head, start) in enumerate(arr):
            if dep == conj:
                self.coordinated.update((i, i + head))
            if start == 1 or i == 0:
                self.sent_starts.append(i)
            self.sent_no.append(len(self.sent_starts) - 1)

    def read(self) -> list[Relation]:
        for tok in self.doc:
            dep, lemma = tok.dep_, tok.lemma_
            if lemma == "be":
                if any(c.dep_ in ("nsubj", "csubj") for c in tok.children) or (
                        dep in ("conj", "relcl") and not _has_subject(tok)):
                    self.copula(tok)
            elif tok.pos_ == "VERB":
                self.verb(tok)
            if dep == "appos":
                self.appositive(tok, tok.head)
            elif dep == "prep":
                if tok.head.pos_ == "PROPN" and tok.head.ent_type_:
                    self.name_prep(tok, tok.head)
            elif dep == "npadvmod":
                if tok.ent_type_ in self.places and tok.head.dep_ == "amod" and tok.head.tag_ == "VBN":
                    self.amod_place(tok, tok.head)
        self.life_dates()
        return self.out

    def life_dates(self) -> None:
        """"X (born 13 March 1963 in Mediaș)" -> (X, born on, date), (X, born in, Mediaș);
        "X (1 May 1900 – 2 June 1980)" -> (X, born on, ..), (X, died on, ..). Only right after a
        person's name, only dates written out."""
        doc = self.doc
        for span in {id(s): s for s in self.index.values()}.values():
            person = span.label_ in self.persons or (span.label_ == CONCEPT and span.root.pos_ == "PROPN")
            if not person or span.end >= len(doc) or doc[span.end].text != "(":
                continue
            close = next((k for k in range(span.end + 1, min(len(doc), span.end + 25))
                          if doc[k].text == ")"), None)
            if close is None:
                continue
            inner = doc[span.end + 1:close]
            dates = [e for e in doc.ents if e.label_ in self.dates and inner.start <= e.start
                     and e.end <= inner.end]
            words = {t.lower_ for t in inner}
            name = [span.root]
            if "born" in words:
                born = next(t for t in inner if t.lower_ == "born")
                for d in dates[:1]:
                    self.emit(name, "born on", [d.root], "life-dates", born, False, spread=False)
                places = [t for t in inner if t.ent_type_ in self.places and t.ent_iob_ == "B"
                          and t.i > born.i and doc[t.i - 1].lower_ == "in"]
                for t in places[:1]:
                    self.emit(name, "born in", [t], "life-dates", born, False, spread=False)
            elif len(dates) == 2 and words & {"–", "-", "—", "to"}:
                self.emit(name, "born on", [dates[0].root], "life-dates", dates[0].root, False,
                          spread=False)
                self.emit(name, "died on", [dates[1].root], "life-dates", dates[1].root, False,
                          spread=False)

    def name_prep(self, prep: Token, name: Token) -> None:
        """A place phrase on a name: "St. Nicholas Hospital in Gosforth" -> (.., located in, ..);
        "Bob Dole of Kansas" -> (Bob Dole, from, Kansas). A phrase chained onto a verb's object
        with the same preposition ("located in the US in Cleveland") is the verb's, not this."""
        if name.dep_ == "pobj" and name.head.lower_ == prep.lower_:
            return
        places = [o for o in self.conj(_pobjs(prep)) if o.ent_type_ in self.places]
        if not places:
            return
        if name.ent_type_ in self.sited and prep.lower_ == "in":
            self.emit([name], "located in", places, "name-prep", prep, False, spread=False,
                      spread_obj=False)
        elif name.ent_type_ in self.persons and prep.lower_ in ("of", "from"):
            self.emit([name], "from", places, "name-prep", prep, False, spread=False,
                      spread_obj=False)

    def amod_place(self, place: Token, participle: Token) -> None:
        """"a Cleveland-based company" -> (company, based in, Cleveland); the company is the
        copula subject or appositive head the noun describes, when there is one."""
        noun = participle.head
        if noun.dep_ == "appos":
            owner = [noun.head]
        elif noun.dep_ == "attr" and noun.head.lemma_ == "be":
            owner, _ = self.subjects(noun.head)
        else:
            owner = [noun]
        self.emit(owner, f"{participle.lower_} in", [place], "amod-prep", participle,
                  _negated(noun.head) if noun.dep_ == "attr" else False)

    # -- arguments -----------------------------------------------------------------------------
    def arg(self, tok: Token) -> Span | None:
        """The mention a token stands for; relative pronouns resolve to the noun they modify."""
        if tok.pos_ == "PRON" or tok.lower_ == "whose":
            if tok.lower_ in _PERSONAL:
                if self.coref is not None:  # the document's mention groups decided it
                    return self.coref.get(tok.i)
                return self.antecedent(tok)
            if tok.lower_ in _REL_PRONOUNS:
                # "who"/"which" hang off the relative verb; "whose" off the noun it owns
                clause = next((h for h in (tok.head, tok.head.head) if h.dep_ == "relcl"), None)
                if clause is not None:
                    return self.arg(self.described(clause.head))
            return None
        if tok.dep_ == "pobj" and tok.pos_ == "NOUN" and tok.lemma_.lower() in CONTAINER_NOUNS:
            # "in the Canadian province of Alberta": the province is Alberta
            named = [o for p in _preps(tok, "of") for o in _pobjs(p) if self.named(o)]
            if len(named) == 1:
                return self.arg(named[0])
        if tok.i in self.index:
            return self.index[tok.i]
        return token_span(tok)

    def antecedent(self, pron: Token) -> Span | None:
        """A simple heuristic, not coreference resolution: "he/she/it" as the subject opening a
        sentence, or "his/her/its" on that subject ("Its capital is ..."), stands for the subject
        of the previous sentence's main verb, when that is a mention of the right sort (named
        person for he/she, anything but a person for it)."""
        subj = pron if pron.dep_ in _SUBJ else pron.head if pron.dep_ == "poss" else None
        if subj is None or subj.dep_ not in _SUBJ or subj.head.dep_ != "ROOT":
            return None
        n = self.sent_no[pron.i]
        if n == 0 or pron.i != self.sent_starts[n]:
            return None
        prev = self.doc[self.sent_starts[n - 1]].sent.root
        cand = next((c for c in prev.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if cand is None:
            return None
        if cand.lower_ in _PERSONAL:  # "X ... . He ... . He ...": follow the chain back
            same = _PERSONAL[cand.lower_] == _PERSONAL[pron.lower_]
            return self.antecedent(cand) if same and cand.dep_ in _SUBJ else None
        if (cand.ent_type_ in self.persons) != (_PERSONAL[pron.lower_] == "person"):
            return None
        span = self.arg(cand)
        return span if span is not None and _named(span) else None

    def named(self, tok: Token) -> bool:
        span = self.arg(tok)
        return span is not None and _named(span)

    def described(self, noun: Token) -> Token:
        """What a relative clause on ``noun`` is about: the subject of "X was the N who ..."."""
        if noun.dep_ == "attr" and noun.head.lemma_ == "be" and noun.pos_ == "NOUN":
            subj = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ != "PRON":
                return subj
        return noun

    def conj(self, tokens) -> list[Token]:
        """``tokens`` and every token coordinated with them."""
        out: list[Token] = []
        for t in tokens:
            for c in ((t, *t.conjuncts) if t.i in self.coordinated else (t,)):
                if c not in out:
                    out.append(c)
        return out

    def subjects(self, verb: Token) -> tuple[list[Token], bool]:
        """Subject tokens of ``verb`` (conjuncts included) and whether it is passive."""
        kids = [(c, c.dep_) for c in verb.children]  # one walk: Token.children scans the subtree
        own = [c for c, dep in kids if dep in _SUBJ]
        passive = any(dep in ("auxpass", "nsubjpass") for _, dep in kids)
        if own:
            return self.conj(own), passive
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            subj, head_passive = self.subjects(verb.head)
            # "was born in X and raised in Y": the second participle shares the passive.
            has_aux = any(c.dep_ in ("aux", "auxpass") for c in verb.children)
            return subj, passive or (head_passive and verb.tag_ == "VBN" and not has_aux)
        if verb.dep_ == "relcl":
            return self.conj([verb.head]), passive
        if verb.dep_ == "acl" and self.described(verb.head).i != verb.head.i:
            # "X is a 1936 film directed by Y": the film is X
            return self.conj([self.described(verb.head)]), passive or verb.tag_ == "VBN"
        if verb.dep_ == "acl":
            # A participle right after a later conjunct, with no comma between, modifies that
            # conjunct only ("A and B located in C"); after a comma it is read as the parser
            # attached it ("A and B, located in C" -> both).
            conjs = self.conj([verb.head])
            before = [c for c in conjs if c.i < verb.i]
            if verb.head.dep_ == "conj" or (before and verb.i > 0 and self.doc[verb.i - 1].text != ","):
                conjs = [max(before, key=lambda c: c.i)] if before else [verb.head]
            return conjs, passive or verb.tag_ == "VBN"
        return [], passive

    # -- emitting -------------------------------------------------------------------------------
    def emit(self, subj_toks, predicate: str, obj_toks, kind: str, anchor: Token, negated: bool,
             obj_is_span: bool = False, spread: bool = True, spread_obj: bool = True,
             surface: str = "") -> None:
        """One relation per (subject, object), objects distributed over their conjuncts;
        ``spread``/``spread_obj``: False where the caller has already chosen the subjects/objects."""
        predicate = " ".join(predicate.lower().split())
        if not predicate:
            return
        for s_tok in (self.conj(subj_toks) if spread else subj_toks):
            s = self.arg(s_tok)
            if s is None:
                continue
            if obj_is_span:
                objs = obj_toks
            else:
                obj_list = self.conj(obj_toks) if spread_obj else list(obj_toks)
                if predicate.endswith((" in", " at")):
                    obj_list = self.place_chain(obj_list)
                objs = [self.arg(o) for o in obj_list]
            for o in objs:
                if o is None or (o.start, o.end) == (s.start, s.end):
                    continue
                # Evidence stays in the anchor's sentence: a resolved pronoun's antecedent lies
                # before it, and the pronoun itself opens the sentence.
                n = self.sent_no[anchor.i]
                parts = [x for x in (s, o) if self.sent_no[x.start] == n]
                lo = min([x.start for x in parts] + [anchor.i] + (
                    [self.sent_starts[n]] if len(parts) < 2 else []))
                hi = max([x.end for x in parts] + [anchor.i + 1])
                conf = CONFIDENCE[kind] + (BOTH_NAMED_BONUS if _named(s) and _named(o) else 0.0)
                self.out.append(RuleRelation(s, predicate, o, round(min(conf, 0.95), 3), kind,
                                             negated, self.doc[lo:hi], surface=surface))

    def place_chain(self, objs: list[Token]) -> list[Token]:
        """``objs`` and the places written after them as appositions: "in Dublin, Ireland" is
        in Dublin and in Ireland ("Wallonia, Belgium": both)."""
        out = list(objs)
        for o in out:  # grows while walking: "Edmonton, Alberta, Canada"
            if o.ent_type_ not in self.places:
                continue
            for a in o.children:
                if a.dep_ == "appos" and a.ent_type_ in self.places and a.i > o.i and a not in out \
                        and any(t.text == "," for t in self.doc[o.i + 1:a.i]):
                    out.append(a)
        return out

    def prep_args(self, preps: list[Token], subj: list[Token]):
        """(preposition, subjects, objects) for each prepositional phrase of one head.

        A second phrase with the same preposition hung on the first one's object is another
        object ("located in the US in Cleveland"). Gapping ("Rome is in Lazio and Naples in
        Campania"): a later conjunct of an object followed directly by a phrase with the same
        preposition is the subject of that phrase, not an object of the first.
        """
        doc = self.doc
        out, skip = [], set()
        for p in preps:
            if p.i in skip:
                continue
            objs = self.conj(_pobjs(p))
            for o in list(objs):
                objs += [c for q in _preps(o, p.lower_) for c in self.conj(_pobjs(q)) if c not in objs]
            gaps = []
            for c in objs[1:]:
                nxt = c.right_edge.i + 1
                if c.dep_ == "conj" and nxt < len(doc) and doc[nxt].dep_ == "prep" and \
                        doc[nxt].head.i == p.head.i and doc[nxt].lower_ == p.lower_:
                    gaps.append((c, doc[nxt]))
                    skip.add(nxt)
            gapped = {c.i for c, _ in gaps}
            out.append((p, subj, [o for o in objs if o.i not in gapped]))
            out += [(q, [c], self.conj(_pobjs(q))) for c, q in gaps]
        return out

    # -- patterns -------------------------------------------------------------------------------
    def verb(self, v: Token) -> None:
        subj, passive = self.subjects(v)
        if not subj:
            return
        neg = _negated(v)
        particle = " ".join(c.lower_ for c in v.children if c.dep_ == "prt" or (
            c.dep_ == "advmod" and c.i == v.i + 1 and c.lower_ in _PARTICLES))
        lemma = f"{v.lemma_} {particle}".strip()
        surface = f"{v.lower_} {particle}".strip()
        if not passive:
            light = ""
            for o in (c for c in v.children if c.dep_ == "dobj"):
                of = _preps(o, "of")
                if v.lemma_ == "have" and of and o.pos_ == "NOUN":
                    # "X has an epoch date of D" states an attribute: (X, epoch date, D)
                    for p in of:
                        self.emit(subj, _noun_name(o), _pobjs(p), "have-attr", v, neg, spread=False)
                    continue
                if v.lemma_ in LIGHT_VERBS and o.pos_ == "NOUN" and not self.named(o):
                    # "took part in X": the noun is part of the relation ("take part in");
                    # "has two children", "made a decision": no statement between things
                    light = o.lemma_.lower()
                    for p in _preps(o):
                        self.emit(subj, f"{lemma} {light} {p.lower_}", _pobjs(p), "light", v, neg,
                                  spread=False, surface=f"{surface} {o.lower_} {p.lower_}")
                    continue
                if of and o.lemma_.lower() in CONTAINER_NOUNS:
                    # "serves the city of Aarhus": the city is Aarhus
                    for p in of:
                        self.emit(subj, lemma, _pobjs(p), "svo-of", v, neg, spread=False,
                                  surface=surface)
                    continue
                self.emit(subj, lemma, [o], "svo", v, neg, spread=False, surface=surface)
            for p, s, objs in self.prep_args(_preps(v), subj):
                pred = f"{lemma} {light} {p.lower_}" if light else f"{lemma} {p.lower_}"
                self.emit(s, " ".join(pred.split()), objs, "prep", v, neg, spread=False,
                          spread_obj=False, surface=f"{surface} {p.lower_}")
            return
        for agent in (c for c in v.children if c.dep_ == "agent"):
            for a in _pobjs(agent):
                self.emit([a], lemma, subj, "passive", v, neg)
        participle = f"{v.lower_} {particle}".strip()
        preps = _preps(v)
        for o in (c for c in v.children if c.dep_ == "dobj"):
            # "X was awarded the Turing Award": the passive of a two-object verb
            self.emit(subj, participle, [o], "passive-dobj", v, neg, spread=False)
        for o in (c for c in v.children if c.dep_ == "oprd" and c.pos_ == "PROPN"):
            # "X was born Y in Z": Y is X's name then; "in Z" belongs to the verb
            self.emit(subj, f"{participle} as", [o], "passive-oprd", v, neg, spread=False)
            preps += _preps(o)
        for p, s, objs in self.prep_args(preps, subj):
            self.emit(s, f"{participle} {p.lower_}", objs, "passive-prep", v, neg, spread=False,
                      spread_obj=False)

    def copula(self, be: Token) -> None:
        subj, _ = self.subjects(be)
        if not subj:
            return
        neg = _negated(be)
        # "Microsoft's founder, Bill Gates, is a philanthropist": the named appositive is the subject.
        subj = [next((a for a in s.children if a.dep_ == "appos" and a.pos_ == "PROPN"), s)
                if s.pos_ == "NOUN" else s for s in subj]
        for attr in self.conj([c for c in be.children if c.dep_ == "attr"]):
            owned = [(s, p) for s in subj if s.pos_ == "NOUN" for p in s.children if p.dep_ == "poss"]
            value = attr.pos_ in ("PROPN", "NUM") or _amount(attr, self.amounts, self.dates) or (
                self.arg(attr) is not None and _named(self.arg(attr)))
            if owned and (attr.pos_ == "NOUN" or value):
                # "Alice's profession is engineer", "X's club is Y", "U, whose leader is L":
                # (owner, noun, value), never a subclass
                for s_tok, poss in owned:
                    self.emit([poss], _noun_name(s_tok), [attr], "copula-poss-attr", s_tok, neg)
            elif attr.pos_ == "NOUN" and not value:
                self.describe(subj, attr, be, neg, "copula")
            elif value:
                # "The capital of France is Paris" -> (Paris, capital of, France)
                for s_tok in subj:
                    if s_tok.pos_ == "NOUN":
                        rel = _noun_name(s_tok)
                        for p in _preps(s_tok, "of"):
                            self.emit([attr], f"{rel} of", _pobjs(p), "copula-inverse", s_tok, neg)
                        owner = _named_compound(s_tok, self.amounts)
                        if owner is not None and not _preps(s_tok, "of"):
                            # "The Aarhus Airport runway length is 2000 metres"
                            rest = self.doc[owner.i + 1:s_tok.i + 1]
                            self.emit([owner], canonical_name(rest).lower(), [attr],
                                      "copula-compound-attr", s_tok, neg)
        for adj in (c for c in be.children if c.dep_ == "acomp"):
            for p in _preps(adj):
                self.emit(subj, f"{adj.lemma_.lower()} {p.lower_}", _pobjs(p), "copula-adj", be, neg)
        for p, s, objs in self.prep_args(_preps(be), subj):
            owners = [(t, c) for t in s if t.pos_ == "NOUN" for c in t.children if c.dep_ == "poss"
                      and c.pos_ != "PRON"]
            if owners:
                # "Google's headquarters are in Mountain View" -> (Google, headquarters in, ..)
                for noun, owner in owners:
                    self.emit([owner], f"{_noun_name(noun)} {p.lower_}", objs, "copula-poss-loc",
                              be, neg, spread=False, spread_obj=False)
                continue
            places = all(o.ent_type_ in self.places or o.ent_type_ in self.facilities for o in objs)
            pred = f"located {p.lower_}" if places and p.lower_ in ("in", "at") else f"be {p.lower_}"
            self.emit(s, pred, objs, "copula-loc", be, neg, spread=False, spread_obj=False,
                      surface=f"{be.lower_} {p.lower_}")

    def describe(self, subj: list[Token], noun: Token, anchor: Token, neg: bool, kind: str) -> None:
        """``subj`` is (a) ``noun``: typing/subclass, plus the noun's own arguments."""
        dets = [c.lower_ for c in noun.children if c.dep_ == "det"]
        poss = [c for c in noun.children if c.dep_ == "poss"]
        generic = ((dets and dets[0] in _INDEFINITE) or (not dets and not poss)) and not _amount(noun, self.amounts, self.dates)
        name = _noun_name(noun)
        if generic:
            for adj in (c for c in noun.children if c.dep_ in ("amod", "compound")
                        and c.ent_type_ in self.nationalities and _demonym(c.text)):
                # "a German skeleton racer": (X, nationality, German)
                self.emit(subj, "nationality", [adj], "nationality", anchor, neg)
            for year in (c for c in noun.children if c.dep_ in ("nummod", "compound", "amod")
                         and c.ent_type_ in self.dates and c.i < noun.i):
                # "a 1936 British film": (X, date, 1936)
                self.emit(subj, "date", [year], "date-modifier", anchor, neg)
            concept = self.arg(noun)
            for s_tok in self.conj(subj):
                s = self.arg(s_tok)
                if s is None or concept is None:
                    continue
                if _named(s):
                    self.emit([s_tok], TYPE_PREDICATE, [concept], f"{kind}-type", anchor, neg, True)
                elif kind == "copula":
                    self.emit([s_tok], SUBCLASS_PREDICATE, [concept], "copula-subclass", anchor, neg, True)
        for p in _preps(noun):
            self.emit(subj, f"{name} {p.lower_}", _pobjs(p), kind if kind == "appos" else "copula-prep",
                      anchor, neg)
        for p in poss:
            self.emit(subj, f"{name} of", [p], f"{kind}-poss", anchor, neg)

    def appositive(self, app: Token, head: Token) -> None:
        prev = self.doc[app.i - 1] if app.i > 0 else None
        if prev is not None and prev.text == "(" and is_acronym(app.text):
            return  # "convolutional neural network (CNN)": an alias, not a relation
        if app.ent_type_ in self.places and head.ent_type_ in self.places and head.i < app.i and any(
                t.text == "," for t in self.doc[head.i + 1:app.i]):
            # "Livingston, Texas": the first place lies in the second
            self.emit([head], "located in", [app], "appos-loc", app, False, spread=False)
        elif app.pos_ == "NOUN":
            self.describe([head], app, app, False, "appos")
        elif head.pos_ == "NOUN" and (app.pos_ == "PROPN" or app.ent_type_):
            rel = _noun_name(head)
            for p in _preps(head, "of"):
                self.emit([app], f"{rel} of", _pobjs(p), "appos-inverse", app, False)
            for poss in (c for c in head.children if c.dep_ == "poss"):
                self.emit([app], f"{rel} of", [poss], "appos-inverse", app, False)


_BELIEFS = {"catholic", "protestant", "muslim", "christian", "jewish", "buddhist", "hindu",
            "democratic", "republican", "democrat", "orthodox", "anglican", "lutheran", "sikh",
            "socialist", "communist", "conservative", "liberal", "islamic", "roman"}


def _demonym(text: str) -> bool:
    """A nationality adjective ("German", "Canadian"), not a belief ("Catholic", "Democratic")."""
    low = text.lower()
    return low not in _BELIEFS and low.endswith(("an", "ese", "ish", "i", "ch", "ic", "ian"))


def _amount(tok: Token, amounts: frozenset[str], dates: frozenset[str]) -> bool:
    """A number or quantity ("2.8 million", "2000 metres"), not a class; ``amounts``/``dates``: the
    NER labels of amounts and of dates."""
    # a year on a noun ("a 1936 film") dates it; it does not count it
    return tok.pos_ == "NUM" or tok.ent_type_ in amounts or any(
        c.dep_ == "nummod" and c.ent_type_ not in dates for c in tok.children)


def _named_compound(noun: Token, amounts: frozenset[str]) -> Token | None:
    """The last token of a named entity compounded onto ``noun`` ("[Aarhus Airport] runway length")."""
    for c in noun.lefts:
        if c.dep_ == "compound" and c.ent_type_ and c.ent_type_ not in amounts and c.pos_ == "PROPN":
            last = c
            while last.i + 1 < noun.i and last.doc[last.i + 1].ent_iob_ == "I":
                last = last.doc[last.i + 1]
            return last if last.i + 1 < noun.i else None
    return None


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in _SUBJ for c in tok.children)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _preps(tok: Token, only: str | None = None) -> list[Token]:
    return [c for c in tok.children if c.dep_ == "prep" and (only is None or c.lower_ == only)]


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ == "pobj"]


def _noun_name(tok: Token) -> str:
    span = token_span(tok)
    return canonical_name(span).lower() if span is not None else tok.lemma_.lower()


def _named(span: Span) -> bool:
    return bool(span.label_ and span.label_ != CONCEPT) or span.root.pos_ == "PROPN"
