"""Regular expressions over record text stay linear: the static half of the rule (README 安全与隐私).

Python's ``re`` backtracks. A pattern takes time exponential in its input when a repeated group can
match the same text in more than one way: a repeat inside a repeat whose next round may start with
what the inner repeat also takes (``(a+)+``, ``(?:x *, *)*`` with words that may end in spaces), or a
repeated choice whose branches can start alike (``(?:\\w|\\d)*``). ``ambiguity`` finds both shapes in
a pattern's parse tree; a pattern from policies/ or schemas/ that has one is a configuration error,
and every pattern in the code is held to it by tests/test_linear_time.py, which also times each one
on adversarial input (the polynomial cases, such as two adjacent repeats of one character searched
at every position, are found there)."""

from __future__ import annotations

import functools
import re
import re._constants as _sre
import re._parser as _parser
from collections.abc import Callable, Iterable
from typing import Any

_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_LONG = 64  # a repeat of more than this many is long: {1,2} next to \d+ is harmless
# Characters tried when two character sets are compared: ASCII, and one of each kind of character
# records hold (CJK, full-width forms, other spaces, Latin-1 letters).
_SAMPLE = [chr(c) for c in range(128)] + list("中文，：、　０１ａＡé\u00a0\u0085\u2028\u3007一")
_CATEGORY = {
    _sre.CATEGORY_DIGIT: re.compile(r"\d").match, _sre.CATEGORY_NOT_DIGIT: re.compile(r"\D").match,
    _sre.CATEGORY_SPACE: re.compile(r"\s").match, _sre.CATEGORY_NOT_SPACE: re.compile(r"\S").match,
    _sre.CATEGORY_WORD: re.compile(r"\w").match, _sre.CATEGORY_NOT_WORD: re.compile(r"\W").match,
}

Charset = Callable[[str], bool]


@functools.lru_cache(maxsize=512)  # the schemas repeat their patterns (dates, ids): each is read once
def ambiguity(pattern: str, flags: int = 0) -> str | None:
    """Why ``pattern`` may backtrack exponentially, or None when its repeats are unambiguous."""
    try:
        tree = _parser.parse(pattern, flags)
    except re.error as exc:
        return f"not a regular expression: {exc}"
    sample = _SAMPLE + _literals(tree)
    return _walk(list(tree), sample)


def width(pattern: str) -> tuple[int, int]:
    """The fewest and most characters a match of ``pattern`` can have (the most may be huge)."""
    low, high = _parser.parse(pattern).getwidth()
    return int(low), int(high)


def _walk(items: list[Any], sample: list[str]) -> str | None:
    found = _adjacent_problem(items, sample)
    if found:
        return found
    for op, av in items:
        for body in _children(op, av):
            found = _walk(body, sample)
            if found:
                return found
        if op in _REPEATS and av[1] > 1:
            found = _repeat_problem(list(av[2]), sample)
            if found:
                return found
    return None


def _children(op: Any, av: Any) -> Iterable[list[Any]]:
    if op in _REPEATS:
        yield list(av[2])
    elif op is _sre.SUBPATTERN:
        yield list(av[3])
    elif op is _sre.BRANCH:
        yield from (list(b) for b in av[1])
    elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
        yield list(av[1])
    elif op is _sre.ATOMIC_GROUP:
        yield list(av)


def _repeat_problem(body: list[Any], sample: list[str]) -> str | None:
    """A repeated ``body`` is unambiguous when every round starts with characters no repeat inside
    it takes, and when a choice among its branches is decided by their first character."""
    first, empty = _first(body)
    if empty:
        return "a repeated group can match nothing"
    for charset in _repeated_sets(body):
        if _overlap(first, [charset], sample):
            return "a repeat inside a repeat: a round can start with what the inner repeat takes"
    for op, av in _top(body):
        if op is _sre.BRANCH:
            starts = [_first(list(b))[0] for b in av[1]]
            for i, one in enumerate(starts):
                for other in starts[i + 1:]:
                    if _overlap(one, other, sample):
                        return "a repeated choice whose branches can start with the same character"
    return None


def _adjacent_problem(items: list[Any], sample: list[str]) -> str | None:
    """Two long repeats with only optional items between them that can take the same characters
    (``\\s*第?\\s*``, ``0*(\\d+)``): on a long run of that character every split between them is
    tried, quadratic in the run (and worse with more of them)."""
    open_sets: list[Charset] = []  # the long repeats that end where the next item starts
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        leading = list(_edge_repeats(op, av, first=True))
        if any(_overlap(open_sets, [one], sample) for one in leading):
            return "two repeats next to each other take the same characters"
        trailing = list(_edge_repeats(op, av, first=False))
        if _nullable(op, av):
            open_sets += trailing
        else:
            open_sets = trailing
    return None


def _long(av: Any) -> bool:
    return bool(av[1] > _LONG)


def _edge_repeats(op: Any, av: Any, first: bool) -> Iterable[Charset]:
    """The character sets of long repeats at the start (or end) of one item."""
    if op in _REPEATS and _long(av):
        yield from _first(list(av[2]))[0]  # what a round starts with (one character's set, mostly)
    elif op is _sre.SUBPATTERN or op is _sre.ATOMIC_GROUP:
        body = [item for item in (av[3] if op is _sre.SUBPATTERN else av) if item[0] not in _ZERO_WIDTH]
        if body:
            edge_op, edge_av = body[0] if first else body[-1]
            yield from _edge_repeats(edge_op, edge_av, first)
    elif op is _sre.BRANCH:
        for branch in av[1]:
            body = [item for item in branch if item[0] not in _ZERO_WIDTH]
            if body:
                edge_op, edge_av = body[0] if first else body[-1]
                yield from _edge_repeats(edge_op, edge_av, first)


def _nullable(op: Any, av: Any) -> bool:
    if op in _REPEATS:
        return bool(av[0] == 0) or _first(list(av[2]))[1]
    if op in (_sre.SUBPATTERN, _sre.ATOMIC_GROUP, _sre.BRANCH):
        return _first([(op, av)])[1]
    return op in _ZERO_WIDTH


def _top(items: list[Any]) -> Iterable[tuple[Any, Any]]:
    """The items of a sequence, groups opened (a branch inside a group is still this round's)."""
    for op, av in items:
        if op is _sre.SUBPATTERN:
            yield from _top(list(av[3]))
        else:
            yield op, av


def _repeated_sets(items: list[Any]) -> Iterable[Charset]:
    """The characters each repeat (of more than one) inside ``items`` may take."""
    for op, av in items:
        if op in _REPEATS and av[1] > 1:
            yield from _chars(list(av[2]))
        for body in _children(op, av):
            yield from _repeated_sets(body)


def _chars(items: list[Any]) -> Iterable[Charset]:
    """Every single-character test in ``items``."""
    for op, av in items:
        single = _charset(op, av)
        if single is not None:
            yield single
        for body in _children(op, av):
            yield from _chars(body)


def _first(items: list[Any]) -> tuple[list[Charset], bool]:
    """The character sets a match of ``items`` can start with, and whether it can match nothing."""
    out: list[Charset] = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        single = _charset(op, av)
        if single is not None:
            out.append(single)
            return out, False
        if op is _sre.SUBPATTERN:
            sets, empty = _first(list(av[3]))
        elif op is _sre.ATOMIC_GROUP:
            sets, empty = _first(list(av))
        elif op is _sre.BRANCH:
            sets, empty = [], False
            for branch in av[1]:
                b_sets, b_empty = _first(list(branch))
                sets += b_sets
                empty = empty or b_empty
        elif op in _REPEATS:
            sets, empty = _first(list(av[2]))
            empty = empty or av[0] == 0
        else:  # a back reference: anything
            return [*out, _anything], False
        out += sets
        if not empty:
            return out, False
    return out, True


def _anything(char: str) -> bool:
    return True


def _charset(op: Any, av: Any) -> Charset | None:
    """The test one single-character item makes, or None for any other item."""
    if op is _sre.LITERAL or op is _sre.NOT_LITERAL:
        wanted = op is _sre.LITERAL

        def literal(char: str) -> bool:
            return (ord(char) == av) == wanted

        return literal
    if op is _sre.ANY:

        def anything(char: str) -> bool:
            return char != "\n"

        return anything
    if op is _sre.IN:

        def member(char: str) -> bool:
            return _in(char, av)

        return member
    return None


def _in(char: str, members: Any) -> bool:
    code, negate, found = ord(char), False, False
    for op, av in members:
        if op is _sre.NEGATE:
            negate = True
        elif op is _sre.LITERAL:
            found = found or code == av
        elif op is _sre.RANGE:
            found = found or av[0] <= code <= av[1]
        elif op is _sre.CATEGORY:
            found = found or bool(_CATEGORY.get(av, lambda c: True)(char))
        else:
            found = True  # an unknown member: assume it can
    return found != negate


def _overlap(ones: list[Charset], others: Iterable[Charset], sample: list[str]) -> bool:
    others = list(others)
    return any(one(c) and other(c) for c in sample for one in ones for other in others)


def _literals(tree: Any) -> list[str]:
    """The characters a pattern names, so that the comparison tries them too."""
    out: list[str] = []

    def visit(items: list[Any]) -> None:
        for op, av in items:
            if op in (_sre.LITERAL, _sre.NOT_LITERAL):
                out.append(chr(av))
            elif op is _sre.IN:
                for m_op, m_av in av:
                    if m_op is _sre.LITERAL:
                        out.append(chr(m_av))
                    elif m_op is _sre.RANGE:
                        out.extend((chr(m_av[0]), chr(m_av[1])))
            for body in _children(op, av):
                visit(body)

    visit(list(tree))
    return out
