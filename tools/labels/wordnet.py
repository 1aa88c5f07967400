"""Minimal reader for WordNet 3.0's noun database (data.noun), enough to walk hypernyms.

Why: the label table maps ImageNet classes (identified by WordNet noun ids, "n02110185")
to Rekognition-style labels through their WordNet ancestors. We parse the database file
ourselves (its format is documented in wndb(5)) instead of pulling in NLTK.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Synset:
    offset: str  # 8 digits, e.g. "02110185"
    lemmas: list[str]
    hypernyms: list[str] = field(default_factory=list)  # offsets (@ and @i pointers)

    @property
    def name(self) -> str:
        return self.lemmas[0]


def load_nouns(data_noun_path: str) -> dict[str, Synset]:
    synsets: dict[str, Synset] = {}
    with open(data_noun_path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):  # licence header
                continue
            head = line.split(" | ", 1)[0].split()
            offset, _lex, _pos, w_cnt = head[0], head[1], head[2], int(head[3], 16)
            lemmas = [head[4 + 2 * i] for i in range(w_cnt)]
            i = 4 + 2 * w_cnt
            p_cnt = int(head[i])
            hypernyms = []
            for j in range(p_cnt):
                symbol, target, pos = head[i + 1 + 4 * j : i + 4 + 4 * j]
                if symbol in ("@", "@i") and pos == "n":
                    hypernyms.append(target)
            synsets[offset] = Synset(offset, lemmas, hypernyms)
    return synsets


def ancestors(synsets: dict[str, Synset], offset: str) -> list[str]:
    """All hypernyms of `offset` (itself first), breadth first: nearest ancestors first."""
    seen, order, queue = set(), [], [offset]
    while queue:
        cur = queue.pop(0)
        if cur in seen:
            continue
        seen.add(cur)
        order.append(cur)
        queue.extend(synsets[cur].hypernyms)
    return order
