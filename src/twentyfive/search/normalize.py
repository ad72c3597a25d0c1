"""Folding text so that spelling variants meet: case, diacritics, Cyrillic and Latin.

Index and query go through the same :func:`tokens`: NFKD, combining marks dropped (so
``ё`` → ``е``, ``й`` → ``и`` and stress marks vanish), casefolded, Cyrillic transliterated
(a BGN/PCGN-like table), then the Latin variants of romanised Russian folded together
(``kh``/``h``, ``ya``/``ia``, ``yu``/``iu``, ``ts``/``tc``, ``iy``/``y`` at word end …).

>>> tokens("Шолохов") == tokens("sholokhov") == tokens("SHOLOHOV")
True
>>> tokens("Двадцатипятитысячники") == tokens("dvadtsatipiatitysiachniki")
True
>>> tokens("Sholokhov, M. A.")
['sholohov', 'm', 'a']
"""

from __future__ import annotations

import re
import unicodedata

#: Cyrillic (after dropping marks) to Latin, BGN/PCGN-like; ъ and ь are dropped.
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
}  # fmt: skip
_TRANSLATE = str.maketrans(CYRILLIC_TO_LATIN)

#: Latin spellings of the same Russian sound, folded to one (applied in this order).
_LATIN_FOLDS = (
    (re.compile(r"shch|sch"), "shh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"tc|tz"), "ts"),
    (re.compile(r"i(?=[aueo])"), "y"),  # ia→ya, iu→yu, ie→ye, io→yo
    (re.compile(r"(?<=[a-z])yo"), "e"),  # Semyon/Семён (ё loses its dots)
    (re.compile(r"^ye"), "e"),
    (re.compile(r"j"), "y"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"(?:iy|yy|ii)$"), "y"),  # -skiy, -skyy, -skii → -sky
    (re.compile(r"(?<=[aeiou])y(?![aeiou])"), "i"),  # kray/край, Nikolay/Николай
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Savvа/Sava, Alla/Ala
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: English words that carry no weight in a name ("Central Committee of the Party").
STOPWORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to"})


def strip_marks(text: str) -> str:
    """Casefolded, without combining marks (diacritics, stress, the dots of ``ё``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_word(word: str) -> str:
    """One word in the common Latin form (``word`` already casefolded and mark-free)."""
    word = word.translate(_TRANSLATE)
    for pattern, replacement in _LATIN_FOLDS:
        word = pattern.sub(replacement, word)
    return word


def tokens(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return [fold_word(w) for w in _WORD.findall(strip_marks(text))]


def name_order(text: str) -> str:
    """``"Sholokhov, Mikhail"`` → ``"Mikhail Sholokhov"`` (one comma, names either side)."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 2 and all(parts) and not any(c.isdigit() for c in text):
        return f"{parts[1]} {parts[0]}"
    return text


def content_tokens(words: list[str]) -> list[str]:
    """``words`` without stopwords (all of them if nothing else is left)."""
    kept = [w for w in words if w not in STOPWORDS]
    return kept or words
