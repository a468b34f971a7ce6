"""Sections of the home page, contributed by the apps that own their content.

Each app registers a function ``section(home_page, request)`` that returns a
:class:`Section` or ``None`` when it has nothing to show, so the home page shows what
exists and never an empty heading.
"""

from dataclasses import dataclass, field

_registry = []


@dataclass
class Section:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def register_section(func):
    """Decorator: add a home page section provider (called on each home page render)."""
    _registry.append(func)
    return func


def home_sections(home_page, request):
    sections = [section for func in _registry if (section := func(home_page, request))]
    return sorted(sections, key=lambda s: s.order)
