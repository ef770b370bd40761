"""Reads of the reference lists shared by the pages, the API, the services and the reports."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from actors.models import Vocabulary, VocabularyTerm


@dataclass
class TermList:
    """The terms of one vocabulary, in the list's order (active and inactive alike)."""

    vocabulary: str
    terms: list[VocabularyTerm] = field(default_factory=list)

    def __post_init__(self):
        self._by_code = {term.code: term for term in self.terms}
        self._position = {term.code: index for index, term in enumerate(self.terms)}

    def term(self, code: str) -> VocabularyTerm | None:
        return self._by_code.get(code)

    def label(self, code: str) -> str:
        """The term's label in the active language; a code no term has is shown as is."""
        term = self._by_code.get(code)
        return term.label if term is not None else code

    def labels(self, codes: Iterable[str] | None) -> list[str]:
        return [self.label(code) for code in codes or ()]

    def position(self, code: str) -> int:
        """Where the code stands in the list (unknown codes last)."""
        return self._position.get(code, len(self._position))

    def in_order(self, codes: Iterable[str]) -> list[str]:
        """``codes`` without duplicates, in the list's order."""
        return sorted(set(codes), key=lambda code: (self.position(code), code))

    @property
    def codes(self) -> set[str]:
        return set(self._by_code)

    @property
    def active_codes(self) -> set[str]:
        return set(self.offered)

    @property
    def offered(self) -> list[str]:
        """The codes of the active terms, in the list's order."""
        return [term.code for term in self.terms if term.is_active]

    def choices(self, *, keep: Iterable[str] = ()) -> list[tuple[str, str]]:
        """What a scorer may tick: the active terms, and the inactive ones in ``keep`` (a
        pair already holds them), in the list's order."""
        kept = set(keep)
        return [
            (term.code, term.label) for term in self.terms if term.is_active or term.code in kept
        ]


@dataclass
class Vocabularies:
    """Every vocabulary's terms, read in one query (``read_vocabularies``)."""

    lists: dict[str, TermList]

    def of(self, vocabulary: str) -> TermList:
        return self.lists[vocabulary]

    @property
    def mechanisms(self) -> TermList:
        return self.lists[Vocabulary.MECHANISM]

    @property
    def facilitating_factors(self) -> TermList:
        return self.lists[Vocabulary.FACILITATING_FACTOR]

    @property
    def hindering_factors(self) -> TermList:
        return self.lists[Vocabulary.HINDERING_FACTOR]


def read_vocabularies() -> Vocabularies:
    """The three vocabularies with all their terms: one query. A page, a report or a
    service reads them once and hands them on."""
    grouped: dict[str, list[VocabularyTerm]] = {name: [] for name in Vocabulary.values}
    for term in VocabularyTerm.objects.in_order():
        grouped.setdefault(term.vocabulary, []).append(term)
    return Vocabularies(
        lists={name: TermList(vocabulary=name, terms=terms) for name, terms in grouped.items()}
    )
