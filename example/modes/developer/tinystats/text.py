"""Small text-processing helpers: tokenizing, n-grams and word counts."""

import re
from collections import Counter

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")

DEFAULT_STOPWORDS = frozenset(
    "a an and are as at be by for from in is it of on or that the to was were with".split()
)


def tokenize(text, lowercase=False):
    """Split text into word tokens, dropping punctuation.

    Case is preserved unless lowercase=True, so callers that compare tokens against a
    lowercase word list must ask for it.
    """
    tokens = _TOKEN_RE.findall(text)
    if lowercase:
        tokens = [t.lower() for t in tokens]
    return tokens


def ngrams(tokens, n=2):
    """All contiguous n-token windows, as tuples."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def word_frequencies(text, stopwords=DEFAULT_STOPWORDS, top=None):
    """Most common content words in `text`, as (word, count) pairs."""
    tokens = tokenize(text, lowercase=True)
    counts = Counter(t for t in tokens if t not in stopwords)
    return counts.most_common(top)


def bigram_counts(text, lowercase=True):
    """Counts of adjacent word pairs."""
    tokens = tokenize(text, lowercase=lowercase)
    return Counter(ngrams(tokens, n=2))


def type_token_ratio(text):
    """Distinct words / total words: a crude measure of lexical variety."""
    tokens = [t.lower() for t in tokenize(text)]
    if not tokens:
        return 0.0
    return len(set(tokens)) / len(tokens)


class Vocabulary:
    """Bidirectional word <-> integer id mapping, built from a corpus."""

    UNKNOWN = "<unk>"

    def __init__(self, min_count=1, lowercase=True):
        self.min_count = min_count
        self.lowercase = lowercase
        self.word_to_id = {self.UNKNOWN: 0}
        self.id_to_word = [self.UNKNOWN]

    def build(self, documents):
        counts = Counter()
        for doc in documents:
            counts.update(tokenize(doc, lowercase=self.lowercase))
        for word, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if count >= self.min_count:
                self.word_to_id[word] = len(self.id_to_word)
                self.id_to_word.append(word)
        return self

    def __len__(self):
        return len(self.id_to_word)

    def encode(self, text):
        return [self.word_to_id.get(t, 0) for t in tokenize(text, lowercase=self.lowercase)]

    def decode(self, ids):
        return " ".join(self.id_to_word[i] for i in ids)
