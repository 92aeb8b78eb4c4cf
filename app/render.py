"""Text rendering shared by every face (the CLI, the demo, the dashboard): no click, no I/O.

Each function turns a value from :mod:`kg` into lines of plain text.
"""

from __future__ import annotations


def entity_text(info) -> str:
    """An :class:`kg.query.EntityInfo`: label and IRI, aliases, types, neighbours, provenance."""
    lines = [f"{info.label}  <{info.iri}>"]
    if info.aliases:
        lines.append("  aliases: " + ", ".join(info.aliases))
    if info.types:
        lines.append("  types:   " + ", ".join(label for _, label in info.types))
    if info.neighbours:
        lines.append("  neighbours:")
        for n in info.neighbours:
            arrow = f"-[{n.relation_label}]->" if n.direction == "out" else f"<-[{n.relation_label}]-"
            lines.append(f"    {arrow} {n.other_label}")
    if info.provenance:
        lines.append("  provenance:")
        for p in info.provenance:
            lines.append("    " + provenance_text(p))
            if p.sentence:
                lines.append(f"      \"{p.sentence}\"")
    return "\n".join(lines)


def provenance_text(p) -> str:
    """One extracted triple with where it came from: ``s -[r]-> o  (doc [a:b] conf=0.9 by rules)``."""
    where = p.source or p.document or "?"
    span = f" [{p.start}:{p.end}]" if p.start is not None else ""
    conf = f" conf={p.confidence:.2f}" if p.confidence is not None else ""
    by = f" by {p.extractor}" if p.extractor else ""
    subj, rel, obj = p.triple_labels
    return f"{subj} -[{rel}]-> {obj}  ({where}{span}{conf}{by})"


def path_text(path) -> str:
    """A :class:`kg.reason.paths.Path` with its length: ``[2] A -[r]-> B <-[s]- C``."""
    return f"[{len(path)}] {path.render()}"


def prediction_lines(p, explain: bool = False, heads: bool = False) -> list[str]:
    """A rule prediction, and with ``explain`` each supporting rule and its grounding paths."""
    who = p.head_label if heads else p.tail_label
    lines = [f"{p.score:.3f}  {who}    ({p.render()}; {len(p.evidence)} rule(s), noisy-or {p.noisy_or:.3f})"]
    if explain:
        for ev in p.evidence:
            lines.append(f"    {ev.confidence:.3f}  {ev.rule.render()}")
            lines.extend(f"           {path.render()}" for path in ev.paths)
    return lines


def stats_text(stats: dict) -> str:
    return "\n".join(f"{key:<11}{value:>12,}" for key, value in stats.items())
