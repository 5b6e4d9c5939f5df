"""The entity set's rules on detected spans: ``span`` for one span against its text, ``joins`` for a document's
spans together."""

from deid.rules.joins import cities_after_places, grow_to_tokens, intersections, join_pieces, names_in_two_scripts
from deid.rules.span import (
    LEADING_TITLE,
    RELATIONS,
    breaks_a_rule,
    extend_to_rules,
    names_a_product,
    split_runaway,
    trim_to_rules,
)

__all__ = [
    "LEADING_TITLE",
    "RELATIONS",
    "breaks_a_rule",
    "cities_after_places",
    "extend_to_rules",
    "grow_to_tokens",
    "intersections",
    "join_pieces",
    "names_a_product",
    "names_in_two_scripts",
    "split_runaway",
    "trim_to_rules",
]
