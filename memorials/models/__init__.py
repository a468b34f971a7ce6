"""Memorials and the Book of Memory: one module per page type."""

from .hero import Fate, HeroMemorial, HeroPage
from .hero_index import HeroIndexPage
from .memorial import Condition, MemorialKind, MemorialPage
from .memorial_index import MemorialIndexPage

__all__ = [
    "Condition",
    "Fate",
    "HeroIndexPage",
    "HeroMemorial",
    "HeroPage",
    "MemorialIndexPage",
    "MemorialKind",
    "MemorialPage",
]
