"""A real Argos Translate package, generated offline, whose model "translates" by letter map.

Owns the test (and benchmark) model: a `.argosmodel` zip with the exact layout
argostranslate 1.11 installs and runs —

    translate-en_ru-0_0_1/
        metadata.json
        sentencepiece.model      trained here on generated text, then symmetrised
        model/                   a CTranslate2 Transformer with hand-set weights
        minisbd/en.onnx          a MiniSBD-format sentence splitter

The Transformer is a *copy transformer*: the last decoder layer's cross-attention matches
target step t to source position t, copies that position's token code, and the output
projection maps token code u to the piece `letter_map(u)`. So the package turns
"Hello world." into "Хелло шорлд." for the Latin→Cyrillic map, token by token, stops by
itself (it copies `</s>`), and its output is exact — tests assert strings. Every other
weight is tiny random noise, so the compute is that of a trained model of the same size
(the benchmark relies on that). The recipe is `shared/research/mt-engine.md` §2.

Only numpy, sentencepiece (+ protobuf), ctranslate2 and onnx are needed; archives are
byte-identical between runs (fixed seeds, one SentencePiece thread, fixed zip timestamps).
"""

from __future__ import annotations

import io
import json
import random
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "абцдефгхийклмнопярстувшжыз"
# Bijective, one letter for one letter: "Hello world" → "Хелло шорлд".
TRANSLIT = str.maketrans(LATIN + LATIN.upper(), CYRILLIC + CYRILLIC.upper())
# A second, visible step for chained routes (ru → ky): two Kyrgyz letters.
KYRGYZ = str.maketrans("оуОУ", "өүӨҮ")


def translit(text: str) -> str:
    """What the en→ru test package does to plain text."""
    return text.translate(TRANSLIT)


def kyrgyzify(text: str) -> str:
    """What the ru→ky test package does to plain text."""
    return text.translate(KYRGYZ)


@dataclass(frozen=True)
class Preset:
    encoder_layers: int
    decoder_layers: int
    d_model: int
    ffn: int
    heads: int
    vocab_size: int
    corpus_lines: int
    quantization: str | None


PRESETS = {
    "tiny": Preset(2, 2, 128, 256, 4, 1000, 3000, "int8"),
    "base": Preset(6, 6, 512, 2048, 8, 16000, 60000, "int8"),
}

# -- text ------------------------------------------------------------------------------------

_SUBJECTS = [
    "The team",
    "Our editors",
    "The committee",
    "Volunteers",
    "The city council",
    "Researchers",
    "The library",
    "Local artists",
    "The new director",
    "Students",
]
_VERBS = [
    "published",
    "announced",
    "opened",
    "reviewed",
    "discussed",
    "presented",
    "celebrated",
    "organised",
    "translated",
    "updated",
]
_OBJECTS = [
    "the annual report",
    "a new exhibition",
    "the spring programme",
    "the budget",
    "a public lecture",
    "the winter festival",
    "the reading club",
    "the results",
    "a community garden",
    "the open data portal",
]
_TAILS = [
    "last week",
    "on Monday",
    "in March",
    "after a long debate",
    "with great success",
    "for the whole region",
    "at the town hall",
    "this year",
    "before the holidays",
    "in three languages",
]
_EXTRA = [
    "Registration is free and open to everyone.",
    "Read more on our website.",
    "Tickets cost 12 euros.",
    "The meeting starts at 18:30.",
    "Thanks to all 45 volunteers!",
    "Do you want to help?",
]


def newsletter_paragraphs(count: int, *, seed: int) -> list[str]:
    """Deterministic newsletter-like English paragraphs of one to four sentences."""
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(count):
        sentences = [_sentence(rng) for _ in range(rng.randint(1, 4))]
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(_EXTRA)
    name = _pseudo_word(rng).capitalize()
    parts = [rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS)]
    if rng.random() < 0.5:
        parts.append(f"with {name}")
    parts.append(rng.choice(_TAILS))
    return " ".join(parts) + rng.choice([".", ".", ".", "!"])


def _pseudo_word(rng: random.Random) -> str:
    syllables = ["ka", "ri", "mo", "tel", "san", "dor", "vi", "len", "qu", "zy", "ph", "ex"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


# Every character a test or a benchmark may feed the model, so nothing is `<unk>` by accident
# (placeholder brackets stay unknown on purpose: they must survive as real models see them).
_ALPHABET_LINE = (
    "".join(chr(c) for c in range(33, 127))
    + " "
    + CYRILLIC
    + CYRILLIC.upper()
    + " ёЁ өүӨҮ ңҢ ғҒ қҚ ҳҲ ӯӮ җҖ şŞ ňŇ äÄ öÖ üÜ ýÝ ž ç"
)


def corpus_lines(count: int, *, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    yield _ALPHABET_LINE
    for _ in range(count):
        yield _sentence(rng)


# -- SentencePiece ---------------------------------------------------------------------------


def train_sentencepiece(
    out: Path, *, lines: list[str], letter_map: Callable[[str], str], vocab_size: int
) -> list[str]:
    """Train a unigram model on `lines` and their mapped twins; return its pieces in id order."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    corpus = out.with_suffix(".txt")
    corpus.write_text("\n".join(lines + [letter_map(line) for line in lines]) + "\n", "utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(out.with_suffix("")),
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        input_sentence_size=0,
        num_threads=1,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    corpus.unlink()
    out.with_suffix(".vocab").unlink()
    proto = model_pb2.ModelProto()
    proto.ParseFromString(out.read_bytes())
    # Symmetrise: the mapped twin of every piece must be a piece too, or the copy model
    # could not emit it.
    known = {p.piece for p in proto.pieces}
    for piece in list(proto.pieces):
        twin = letter_map(piece.piece)
        if piece.type == model_pb2.ModelProto.SentencePiece.NORMAL and twin not in known:
            added = proto.pieces.add()
            added.piece, added.score, added.type = twin, piece.score, piece.type
            known.add(twin)
    out.write_bytes(proto.SerializeToString())
    return [p.piece for p in proto.pieces]


# -- CTranslate2 copy transformer ------------------------------------------------------------


def build_copy_model(
    out: Path, *, pieces: list[str], letter_map: Callable[[str], str], preset: Preset, seed: int
) -> None:
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    d, heads = preset.d_model, preset.heads
    head_dim = d // heads
    vocab = len(pieces)
    positions = 1024
    radius = 4.0  # norm of the position and token codes in the residual stream

    def unit_codes(rows: int, width: int) -> np.ndarray:
        codes = rng.standard_normal((rows, width))
        codes -= codes.mean(axis=1, keepdims=True)  # zero mean: layer norm keeps direction
        return codes / np.linalg.norm(codes, axis=1, keepdims=True)

    def noise(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.01 / np.sqrt(shape[-1])).astype(np.float32)

    # Residual layout: dims [0, head_dim) carry the position, the rest carry the token.
    position_table = np.zeros((positions, d), np.float32)
    position_table[:, :head_dim] = radius * unit_codes(positions, head_dim)
    token_codes = unit_codes(vocab, d - head_dim)
    source_embeddings = np.zeros((vocab, d), np.float32)
    source_embeddings[:, head_dim:] = radius * token_codes

    spec = TransformerSpec.from_config(
        (preset.encoder_layers, preset.decoder_layers), heads, pre_norm=True
    )
    _fill_noise(spec, noise, d, preset.ffn)
    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = False
        side.position_encodings.encodings = position_table
    spec.encoder.embeddings[0].weight = source_embeddings
    spec.decoder.embeddings.weight = noise(vocab, d)

    # Last decoder layer, cross-attention: query = key = position code; value/output copy the
    # token code. After layer norm a code of norm r becomes ~ code * sqrt(d) / r.
    attention = spec.decoder.layer[-1].attention
    alpha = np.sqrt(45.0 * np.sqrt(2.0) * np.sqrt(head_dim) / d)
    query = np.zeros((d, d), np.float32)
    for head in range(heads):
        query[head * head_dim : (head + 1) * head_dim, :head_dim] = alpha * np.eye(head_dim)
    key_value = np.zeros((2 * d, d), np.float32)
    key_value[:d] = query
    key_value[d + head_dim :, head_dim:] = np.eye(d - head_dim)
    output = np.zeros((d, d), np.float32)
    output[head_dim:, head_dim:] = (4.0 * radius / np.sqrt(d / 2)) * np.eye(d - head_dim)
    attention.linear[0].weight, attention.linear[1].weight = query, key_value
    attention.linear[2].weight = output
    for linear in attention.linear:
        linear.bias = np.zeros(linear.weight.shape[0], np.float32)

    # Output projection: row v = sum of the token codes of the pieces that map to v.
    index = {piece: i for i, piece in enumerate(pieces)}
    projection = np.zeros((vocab, d), np.float32)
    scale = 40.0 / np.sqrt(d)
    for source_id, piece in enumerate(pieces):
        target_id = index.get(letter_map(piece), source_id)
        projection[target_id, head_dim:] += scale * token_codes[source_id]
    spec.decoder.projection.weight = projection
    spec.decoder.projection.bias = np.zeros(vocab, np.float32)

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.config.add_source_eos = True
    spec.validate()
    if preset.quantization:
        spec.optimize(quantization=preset.quantization)
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


def _fill_noise(spec: object, noise: Callable[..., np.ndarray], d: int, ffn: int) -> None:
    """Tiny random weights for every linear layer, identity weights for every layer norm."""

    def norm(layer: object) -> None:
        layer.gamma = np.ones(d, np.float32)  # type: ignore[attr-defined]
        layer.beta = np.zeros(d, np.float32)  # type: ignore[attr-defined]

    def linear(layer: object, rows: int, cols: int) -> None:
        layer.weight = noise(rows, cols)  # type: ignore[attr-defined]
        layer.bias = np.zeros(rows, np.float32)  # type: ignore[attr-defined]

    def block(layer: object, *, cross: bool) -> None:
        attention = layer.self_attention  # type: ignore[attr-defined]
        norm(attention.layer_norm)
        linear(attention.linear[0], 3 * d, d)
        linear(attention.linear[1], d, d)
        if cross:
            attention = layer.attention  # type: ignore[attr-defined]
            norm(attention.layer_norm)
            linear(attention.linear[0], d, d)
            linear(attention.linear[1], 2 * d, d)
            linear(attention.linear[2], d, d)
        norm(layer.ffn.layer_norm)  # type: ignore[attr-defined]
        linear(layer.ffn.linear_0, ffn, d)  # type: ignore[attr-defined]
        linear(layer.ffn.linear_1, d, ffn)  # type: ignore[attr-defined]

    for layer in spec.encoder.layer:  # type: ignore[attr-defined]
        block(layer, cross=False)
    for layer in spec.decoder.layer:  # type: ignore[attr-defined]
        block(layer, cross=True)
    norm(spec.encoder.layer_norm)  # type: ignore[attr-defined]
    norm(spec.decoder.layer_norm)  # type: ignore[attr-defined]


# -- sentence splitter -----------------------------------------------------------------------


def build_minisbd_splitter(out: Path, language: str) -> None:
    """A MiniSBD-format ONNX model: `.`, `!` or `?` followed by a space ends a sentence."""
    import onnx
    from onnx import TensorProto, helper

    id2unit = ["<PAD>", "<UNK>", ".", "!", "?", " "]
    ends = np.array([0, 0, 1, 1, 1, 0], np.float32)
    nodes = [
        helper.make_node("Gather", ["ends", "units"], ["is_end"], axis=0),  # [B, N]
        helper.make_node("Squeeze", ["features", "axis2"], ["space"]),  # [B, N]
        helper.make_node("Slice", ["space", "one", "big", "one"], ["space_next"]),
        helper.make_node("Pad", ["space_next", "pad_end"], ["space_after"]),
        helper.make_node("Mul", ["is_end", "space_after"], ["split"]),
        helper.make_node("Mul", ["split", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "half"], ["keep"]),
        helper.make_node("Unsqueeze", ["keep", "axis2"], ["class0"]),
        helper.make_node("Unsqueeze", ["zeros", "axis2"], ["class1"]),
        helper.make_node("Unsqueeze", ["split", "axis2"], ["class2"]),
        helper.make_node("Concat", ["class0", "class1", "class2"], ["logits"], axis=2),
    ]
    initializers = [
        helper.make_tensor("ends", TensorProto.FLOAT, [len(ends)], ends),
        helper.make_tensor("axis2", TensorProto.INT64, [1], [2]),
        helper.make_tensor("one", TensorProto.INT64, [1], [1]),
        helper.make_tensor("big", TensorProto.INT64, [1], [1 << 30]),
        helper.make_tensor("pad_end", TensorProto.INT64, [4], [0, 0, 0, 1]),
        helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]),
        helper.make_tensor("half", TensorProto.FLOAT, [], [0.5]),
    ]
    graph = helper.make_graph(
        nodes,
        "minisbd-rule",
        [
            helper.make_tensor_value_info("units", TensorProto.INT64, ["B", "N"]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["B", "N", 1]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", "N", 3])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    vocab = {
        "lang": language,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {unit: i for i, unit in enumerate(id2unit)},
        "_id2unit": id2unit,
    }
    config = {"feat_funcs": ["space_before"], "max_seqlen": 1000, "batch_size": 32}
    for key, value in (
        ("lang_code", language),
        ("config", json.dumps(config)),
        ("vocab", json.dumps(vocab)),
        ("lexicon", "null"),
    ):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(out))


# -- the package -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageSpec:
    from_code: str
    to_code: str
    letter_map: Callable[[str], str]
    source_text: Callable[[str], str]  # English corpus line → this package's source language
    version: str = "0.0.1"


EN_RU = PackageSpec("en", "ru", translit, lambda line: line)
RU_KY = PackageSpec("ru", "ky", kyrgyzify, translit)
NAMES = {"en": "English", "ru": "Russian", "ky": "Kyrgyz", "kk": "Kazakh"}


def build_package(out_dir: Path, spec: PackageSpec, *, preset: str = "tiny", seed: int = 7) -> Path:
    """Write `out_dir/translate-<from>_<to>-<version>.argosmodel` and return its path."""
    settings = PRESETS[preset]
    name = f"translate-{spec.from_code}_{spec.to_code}-{spec.version.replace('.', '_')}"
    work = out_dir / f"{name}.build"
    shutil.rmtree(work, ignore_errors=True)
    root = work / name
    root.mkdir(parents=True)
    lines = [spec.source_text(line) for line in corpus_lines(settings.corpus_lines, seed=seed)]
    pieces = train_sentencepiece(
        root / "sentencepiece.model",
        lines=lines,
        letter_map=spec.letter_map,
        vocab_size=settings.vocab_size,
    )
    build_copy_model(
        root / "model", pieces=pieces, letter_map=spec.letter_map, preset=settings, seed=seed
    )
    build_minisbd_splitter(root / "minisbd" / f"{spec.from_code}.onnx", spec.from_code)
    metadata = {
        "package_version": spec.version,
        "argos_version": "1.11.0",
        "type": "translate",
        "code": f"{spec.from_code}_{spec.to_code}",
        "from_code": spec.from_code,
        "from_name": NAMES[spec.from_code],
        "to_code": spec.to_code,
        "to_name": NAMES[spec.to_code],
        "links": [],
    }
    (root / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", "utf-8")
    archive = out_dir / f"{name}.argosmodel"
    _zip_deterministic(root, archive)
    shutil.rmtree(work)
    return archive


def _zip_deterministic(root: Path, archive: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{root.name}/{path.relative_to(root).as_posix()}")
                info.date_time = (1980, 1, 1, 0, 0, 0)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    archive.write_bytes(buffer.getvalue())
