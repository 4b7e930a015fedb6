"""Themes of SIP priorities, matched the way people write them.

Schools type themes freely. Three layers decide which priorities share a theme:

1. Automatically: texts equal once case, punctuation, '&'/'and', hyphens inside
   words (well-being = wellbeing) and simple plurals are set aside.
2. The coordinator's list (the partnership workbook's Themes tab): every name in
   a row's 'Also called' maps to that row's Theme.
3. Suggestions for a person to confirm: an acronym of a known theme (EHWB), a
   close spelling, or a shared main word ('writing (KS1)' and 'Writing').

Plain functions of text: no database, no Flask.
"""
import re
from dataclasses import dataclass
from functools import lru_cache, wraps

from rapidfuzz import fuzz

_BRACKETS = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"and", "of", "the", "in", "for", "to", "a", "an", "on", "with"})
KEY_LENGTH = 200  # a theme is a few words; a pasted paragraph is compared by its start
# A close spelling: two keys this alike (0-100, rapidfuzz's ratio) are probably one theme.
CLOSE_SPELLING = 85


def _plural(word):
    """'leaders' -> 'leader', 'classes' -> 'class', 'approaches' -> 'approach'; 'class',
    'focus' and 'basis' stay. Simple plurals only."""
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _words(text):
    text = (text or "").lower().replace("&", " and ")
    return [_plural(w) for w in _WORD.findall(text)]


# theme_key and main_words are pure functions of a cell's text, asked for the same few
# themes thousands of times a page: cached, but only for texts of a theme's length, so
# that pasted paragraphs (a cell holds up to 50,000 characters) never fill a worker's memory.
CACHED_LENGTH = 300


def _cached_when_short(function):
    cached = lru_cache(maxsize=8192)(function)

    @wraps(function)
    def lookup(text):
        return cached(text) if text is None or len(text) <= CACHED_LENGTH else function(text)

    return lookup


@_cached_when_short
def theme_key(text):
    """What two theme texts are compared by: 'Emotional Health & Well-being',
    'emotional health and wellbeing' and 'Emotional health and well being' have one
    key (words run together, so a hyphen or a space inside a word does not count)."""
    return "".join(_words(text))[:KEY_LENGTH]


@_cached_when_short
def main_words(text):
    """The words that carry a theme, without a bracketed qualifier or small words:
    'Writing (KS1)' -> {'writing'}."""
    return frozenset(w for w in _words(_BRACKETS.sub(" ", text or "")) if w not in _STOP)


def is_acronym(short, text):
    """Is ``short`` (one word, 'EHWB') the initials of ``text``? Each word of the text
    gives its first letter, and may give later letters of its own in order, so that
    'wellbeing' gives the W and the B of EHWB as 'well-being' would."""
    letters = (short or "").lower()
    words = [w for w in _words(_BRACKETS.sub(" ", text or "")) if w not in _STOP]
    if not re.fullmatch(r"[a-z]{2,8}", letters) or len(words) < 2 or len(words) > len(letters):
        return False

    def consume(i, w):  # letters[i:] from words[w:]
        if w == len(words):
            return i == len(letters)
        if i == len(letters) or letters[i] != words[w][0]:
            return False
        return any(consume(j, w + 1) for j in _extra_letters(letters, i + 1, words[w]))

    return consume(0, 0)


def _extra_letters(letters, i, word):
    """Where the acronym may go on after a word that gave letters[i-1] as its initial:
    each count of further letters of the acronym, in order, taken from the rest of the
    word (taken as early as they come, which leaves the most for the words after)."""
    ends, rest = [i], word[1:]
    j, k = i, 0
    while j < len(letters):
        k = rest.find(letters[j], k)
        if k < 0:
            break
        j, k = j + 1, k + 1
        ends.append(j)
    return ends


@dataclass(frozen=True)
class Suggestion:
    """'Is ``name`` the same theme as ``theme``?', with why it is asked."""

    name: str
    theme: str
    why: str


class ThemeList:
    """The coordinator's list: {theme: [also called, …]}, looked up by key."""

    def __init__(self, entries=(), same=()):
        """``entries``: the Themes tab's (theme, [also called]); ``same``: (name, theme)
        pairs a person said are one theme, which bring the name's own other names along."""
        self.names = {}  # key of any name -> the theme as the list writes it
        self.written = {}  # key of a theme -> every name given for it, as written
        for theme, also_called in entries:
            for name in (theme, *also_called):
                self.names.setdefault(theme_key(name), theme)
                self.written.setdefault(theme_key(self.names[theme_key(theme)]), []).append(name)
        for name, theme in same:
            self.merge(name, theme)

    def merge(self, name, theme):
        """``name`` is ``theme``: and so is every name that was ``name``'s (a listed theme
        said to be another keeps none of its own other names apart)."""
        target = self.theme_for(theme)
        old, new = theme_key(self.theme_for(name)), theme_key(target)
        if old == new:
            return
        moved = [k for k, listed in self.names.items() if theme_key(listed) == old] + [theme_key(name), old]
        for key in moved:
            self.names[key] = target
        self.written.setdefault(new, []).extend(self.written.pop(old, [name]))

    def theme_for(self, text):
        """The theme a written theme belongs to: the list's, or the text itself as its own theme."""
        return self.names.get(theme_key(text), (text or "").strip())

    def knows(self, text):
        """Is this text a name on the list (a theme or one of its other names)?"""
        return theme_key(text) in self.names

    def names_of(self, theme):
        """Every name the list gives a theme (the names a row of the Themes tab lists)."""
        key = theme_key(theme)
        return {name for name in self.written.get(key, ())}



def split_names(text):
    """'EHWB; wellbeing, Well-being' -> ['EHWB', 'wellbeing', 'Well-being']."""
    return [name.strip() for name in re.split(r"[;,\n]", text or "") if name.strip()]


def why_same(name, theme):
    """Why ``name`` is probably ``theme`` (a suggestion's reason), or None."""
    a, b = theme_key(name), theme_key(theme)
    if not a or not b or a == b:
        return None
    if is_acronym(name, theme) or is_acronym(theme, name):
        return "an acronym"
    if fuzz.ratio(a, b) >= CLOSE_SPELLING:
        return "a close spelling"
    words_a, words_b = main_words(name), main_words(theme)
    if words_a and words_b and (words_a <= words_b or words_b <= words_a):
        return "the same main words"
    return None


def suggestions(themes, declined=frozenset()):
    """'Same theme?' questions for a list of themes as grouped (each a display name).

    Each pair is asked once, the later theme (in the order given) about the earlier
    one; pairs in ``declined`` ({(key, key)} a person answered No to) are not asked
    again. A theme already asked about is not asked about a second one.
    """
    asked, found = set(), []
    for i, name in enumerate(themes):
        for theme in themes[:i]:
            pair = pair_key(name, theme)
            if pair in declined or name in asked:
                continue
            why = why_same(name, theme)
            if why:
                found.append(Suggestion(name, theme, why))
                asked.add(name)
    return found


def pair_key(a, b):
    """The one key of a pair of theme names, whichever way round it is asked."""
    return tuple(sorted((theme_key(a), theme_key(b))))
