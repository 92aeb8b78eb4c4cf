"""Types from definitions: "Foots Creek is an unincorporated community", "Metallica, an American
heavy metal band", "the village of Yandina".

A name that a sentence defines by a class noun gets that noun's type as a vote
(:func:`defined_label`), next to the NER labels of its mentions (see
:mod:`kg.extract.grouping`). The patterns are the copula, the apposition and "the N of X"; the
idea is Hearst's (1992) lexico-syntactic patterns for is-a relations, read off spaCy's dependency
parse instead of surface strings. The small NER model types a lone place name or a band name by its
shape; a definition says what the writer meant.

:data:`CLASS_NOUNS` maps a class noun (its lemma) to the role it implies (:mod:`kg.extract.roles`:
person, place, organisation, ...); the vote is cast in the loaded NER's label for that role. Nouns
that name several kinds ("station": a place or a broadcaster; "magazine") are left out.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.roles import doc_roles

_ROLE_NOUNS = {
    "person": """
        actor actress singer songwriter musician composer conductor pianist guitarist drummer
        bassist violinist rapper vocalist poet novelist writer author playwright screenwriter
        journalist editor painter sculptor artist photographer architect designer illustrator
        cartoonist politician statesman diplomat lawyer judge jurist economist historian
        philosopher theologian scientist physicist chemist biologist mathematician astronomer
        engineer inventor physician surgeon doctor nurse psychologist sociologist linguist
        anthropologist archaeologist geologist botanist zoologist professor teacher scholar
        businessman businesswoman entrepreneur industrialist banker merchant footballer player
        athlete cyclist swimmer runner skier boxer wrestler golfer sprinter racer jockey cricketer
        coach manager referee soldier officer admiral commander pilot astronaut explorer priest
        bishop cardinal monk nun saint prophet missionary rabbi imam king queen emperor empress
        prince princess duke duchess countess monarch ruler nobleman noblewoman pharaoh sultan
        president chancellor senator governor mayor minister premier activist philanthropist
        presenter comedian dancer choreographer model director producer filmmaker
        man woman boy girl son daughter wife husband brother sister father mother
    """,
    "organisation": """
        band group duo trio quartet ensemble orchestra choir company corporation firm manufacturer
        publisher developer retailer airline bank conglomerate subsidiary brand label
        club team franchise party organization organisation association federation union league
        council committee commission agency ministry department university college academy
        institute school foundation society charity newspaper broadcaster network
        army navy regiment brigade battalion division militia
    """,
    "place": """
        city town village hamlet community place municipality commune parish borough suburb
        neighbourhood neighborhood settlement locality township county district province state
        country nation republic kingdom principality emirate capital region prefecture canton
        oblast governorate territory colony
    """,
    "location": """
        river stream creek tributary lake sea ocean bay gulf strait channel island archipelago
        peninsula mountain peak hill volcano range ridge valley canyon glacier desert forest
        wilderness plateau plain cape headland beach waterfall reef basin
    """,
    "facility": """
        building bridge airport stadium arena railway road highway motorway street
        castle palace fortress cathedral church temple mosque monastery abbey hospital hotel museum
        theatre theater tower dam canal lighthouse mall prison park
    """,
    "work": """
        album song single film movie novel book series show programme program episode opera play
        musical painting poem sculpture soundtrack ep documentary sitcom comic manga anime
    """,
    "product": "car automobile vehicle aircraft airliner locomotive rifle software console game",
    "event": """
        war battle tournament championship election festival competition race contest siege
        revolution uprising rebellion conference summit cup olympics tour
    """,
    "law": "treaty agreement act law constitution convention",
    "language": "language dialect",
}
_LIFE_VERBS = {"bear", "die", "marry"}
_NAME_SMALL = {"of", "the", "and", "de", "del", "la", "le", "du", "von", "van", "der", "for", "&", "-"}
# "the capital of France" is not France
_NOT_OF = {"capital", "colony", "territory"}
CLASS_NOUNS: dict[str, str] = {noun: role for role, nouns in _ROLE_NOUNS.items()
                               for noun in nouns.split()}


def _role_of(noun: Token) -> str | None:
    if noun.pos_ != "NOUN":
        return None
    return CLASS_NOUNS.get(noun.lemma_.casefold())


def defined_label(span: Span) -> str | None:
    """The NER label (the document's label for :func:`defined_role`'s role) a definition of
    ``span`` gives it, or None."""
    return _as_label(span, defined_role(span))


# Class nouns that head names of other kinds too often to type a name by themselves: "Manchester
# City" and "Ohio State" are clubs and universities, "Jurassic Park" a film, "Damon Hill" a man.
# A church, hospital, museum or hotel is as often the institution as the building.
_WEAK_HEADS = {"city", "state", "park", "hill", "group", "label", "brand", "model", "man", "woman",
               "boy", "girl", "son", "daughter", "king", "queen", "prince", "range", "field", "game",
               "church", "hospital", "museum", "hotel", "theatre", "theater", "community", "union"}


def head_role(span: Span) -> str | None:
    """The role the class noun heading a multi-word name gives it, or None: "Crossgates *Mall*"
    (facility), "FIBT World *Championships*" (event), "*University* of Toronto", "*Lake* Tahoe".

    The head is the word before a first "of", else the last word; a name whose last word is no
    class noun may start with a place noun ("Lake", "Mount"). People are never typed this way
    (a surname is often a noun), nor by the nouns in ``_WEAK_HEADS``. The idea is the head-noun
    feature of NER systems (Collins & Singer 1999 use the head word of the phrase as a spelling
    rule); here it is one more vote next to the model's label (:mod:`kg.extract.grouping`).
    """
    toks = [t for t in span if not (t.i == span.start and t.lower_ == "the")]
    if len(toks) < 2 or not all(t.text[:1].isupper() or t.lower_ in _NAME_SMALL for t in toks):
        return None
    of = next((k for k, t in enumerate(toks) if t.lower_ == "of"), None)
    heads = [toks[of - 1]] if of else [toks[-1], toks[0]]
    for k, tok in enumerate(heads):
        noun = tok.lemma_.casefold()
        if noun not in CLASS_NOUNS and noun.endswith("s"):
            # the lemmatiser keeps a proper noun's plural ("Championships", "Regions")
            noun = noun[:-1]
        if noun in _WEAK_HEADS:
            return None
        role = CLASS_NOUNS.get(noun)
        if role == "person":
            return None
        if role is not None and (k == 0 or role in ("place", "location")):
            return role
    return None


def head_label(span: Span) -> str | None:
    """:func:`head_role` as the document's NER label for that role."""
    return _as_label(span, head_role(span))


def _as_label(span: Span, role: str | None) -> str | None:
    """``role`` in the NER label ``span``'s document reads it with (None for no role)."""
    return doc_roles(span.doc).label(role) if role is not None else None


def defined_role(span: Span) -> str | None:
    """The role (:mod:`kg.extract.roles`) a definition of ``span`` gives it, or None.

    ``X is/was a N``, ``X, a N, ...``, ``the N X`` / ``N X`` as an apposition, ``the N of X``;
    N is looked up in :data:`CLASS_NOUNS`. ``X (born ...)``, ``X was born``, ``X died``, ``X
    married``: a person. "X is a member of N" gives nothing: only the
    predicate's own noun counts.
    """
    root = span.root
    head = root.head
    doc = span.doc
    # "X (born 5 August 1997)", "X was born in", "X died": only people are born and die
    if span.end + 1 < len(doc) and doc[span.end].text == "(" and doc[span.end + 1].lower_ == "born":
        return "person"
    if root.dep_ in ("nsubj", "nsubjpass") and head.lemma_ in _LIFE_VERBS and head.pos_ == "VERB":
        return "person"
    if root.dep_ in ("nsubj", "nsubjpass") and head.lemma_ == "be":
        for c in head.children:
            if c.dep_ == "attr":
                # "a town and comune", "an unincorporated community and census-designated place":
                # the attribute's own noun first, then the nouns coordinated with it
                for noun in [c, *(d for d in c.children if d.dep_ in ("conj", "nmod"))]:
                    role = _role_of(noun)
                    if role:
                        return role
        return None
    for c in root.children:
        if c.dep_ == "appos" and c.i > span.end - 1:
            role = _role_of(c)
            if role:
                return role
    if root.dep_ == "appos" and head.i < span.start:
        return _role_of(head)
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.i == head.i - 1 \
            and head.head.lemma_.casefold() not in _NOT_OF:
        role = _role_of(head.head)  # "the village of Yandina", not "the king of Spain"
        return role if role in ("place", "location") else None
    return None
