"""Build real ``.argosmodel`` packages offline, for tests and benchmarks.

A package is a zip of one folder holding ``metadata.json``, a CTranslate2 model in
``model/``, a ``sentencepiece.model`` and a tiny ONNX sentence splitter in
``minisbd/``, so argostranslate never goes to the network.

Two kinds of model:

* ``identity``: the decoder copies the source token by token. The model dimension
  holds a one-hot of the token beside a one-hot of the position. Every encoder
  sublayer outputs zero and there is no final norm, so the encoder output is that
  one-hot pair. The decoder's token embeddings are zero; in cross-attention the
  query and key read only the position block, so step t attends to source position
  t, and the value reads the token block. The output projection maps the token
  block back to vocabulary logits. With ``add_source_eos`` the model copies
  ``</s>`` and stops.
* ``random``: seeded random weights (deterministic). Outputs are gibberish and, on
  their own, run to CTranslate2's length cap.

``size="argos"`` builds a random model of the size of real Argos packages (6+6
layers, d_model 512, 8 heads, FFN 2048, a ~32k vocabulary) for benchmarks.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import threading
import zipfile
from pathlib import Path

import numpy as np

# Training text for the tiny SentencePiece model: Russian, Ukrainian and English
# lines plus every letter, digit and common punctuation mark, so unknown pieces are rare.
_RU_UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
_UK_EXTRA = "ЄІЇҐєіїґ"
_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_PUNCT = "0123456789 .,;:!?-–—()[]{}«»\"'/\\@#%&*+=<>_~`^|$€№"
TRAINING_LINES = [
    "Привет, мир. Как дела? Всё хорошо!",
    "Заголовок открываемого материала",
    "Организация по безопасности и сотрудничеству в Европе (ОБСЕ).",
    "Договор о коллективной безопасности, ОДКБ и СНГ.",
    "Добрий день! Як справи? Це українська мова, її знають усі.",
    "Hello, world. How are you? The quick brown fox jumps over the lazy dog!",
    "The OSCE and NATO met in Vienna on 12 March 2024; 3.5% of members agreed.",
    "To participate in the discussion, log in or register.",
    _RU_UPPER + " " + _RU_UPPER.lower(),
    _UK_EXTRA,
    _LATIN,
    " ".join(_PUNCT),
]

SIZES = {
    # name: (layers, d_model for random models, heads, ffn, vocabulary size)
    "tiny": (1, 32, 1, 64, 0),
    "argos": (6, 512, 8, 2048, 32000),
}
IDENTITY_MAX_POSITIONS = 256  # longest sentence (in pieces, + </s>) the identity model copies

_cache: dict[tuple[object, ...], bytes] = {}
_sp_cache: dict[tuple[object, ...], bytes] = {}
_lock = threading.Lock()


def _train_sentencepiece(size: str) -> bytes:
    """Train a SentencePiece model and return its serialized bytes (cached)."""
    import sentencepiece as spm

    key = (size,)
    with _lock:
        if key in _sp_cache:
            return _sp_cache[key]
    if size == "argos":
        lines = _flores_lines()
        vocab_size = SIZES["argos"][4]
        extra = {"input_sentence_size": 200000, "shuffle_input_sentence": True}
    else:
        lines = TRAINING_LINES
        vocab_size = 200
        extra = {}
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
        num_threads=2,
        **extra,
    )
    data = model.getvalue()
    with _lock:
        _sp_cache[key] = data
    return data


def flores_dir() -> Path:
    """``../shared/data/flores200_devtest`` beside the checkout, or ``$TOLMACH_SHARED_DATA``."""
    import os

    base = os.environ.get("TOLMACH_SHARED_DATA")
    root = Path(base) if base else Path(__file__).resolve().parents[3] / "shared" / "data"
    return root / "flores200_devtest"


def _flores_lines() -> list[str]:
    """Text for the Argos-size vocabulary: every FLORES devtest file plus the tiny lines."""
    data = flores_dir()
    lines: list[str] = []
    for path in sorted(data.glob("*.devtest")):
        lines.extend(path.read_text(encoding="utf-8").splitlines())
    if not lines:
        raise FileNotFoundError(f"size='argos' needs FLORES text in {data}")
    return lines + TRAINING_LINES


def _pieces(sp_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _import_specs():  # type: ignore[no-untyped-def]
    """Import ``ctranslate2.specs`` without letting it pull in torch (~1 s).

    The specs module imports torch only to accept torch tensors as weights; these
    builders give numpy arrays. If torch is already loaded, nothing changes.
    """
    import sys

    if "ctranslate2.specs" not in sys.modules and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]
        try:
            import ctranslate2.specs  # noqa: F401
        finally:
            del sys.modules["torch"]
    from ctranslate2.specs import common_spec, transformer_spec

    return common_spec, transformer_spec


def _identity_spec(vocab: list[str]):  # type: ignore[no-untyped-def]
    _, transformer_spec = _import_specs()

    v, p = len(vocab), IDENTITY_MAX_POSITIONS
    d = v + p
    spec = transformer_spec.TransformerSpec.from_config(
        num_layers=1, num_heads=1, no_final_norm=True
    )
    f32 = np.float32

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=f32)

    def norm(ln) -> None:  # type: ignore[no-untyped-def]
        ln.gamma = np.ones(d, dtype=f32)
        ln.beta = zeros(d)

    positions = zeros(p, d)
    positions[np.arange(p), v + np.arange(p)] = 1.0
    enc, dec = spec.encoder, spec.decoder

    # Encoder: output = one-hot token ⊕ one-hot position; every sublayer adds zero.
    enc.scale_embeddings = False
    emb = zeros(v, d)
    emb[np.arange(v), np.arange(v)] = 1.0
    enc.embeddings[0].weight = emb
    enc.position_encodings.encodings = positions
    layer = enc.layer[0]
    norm(layer.self_attention.layer_norm)
    layer.self_attention.linear[0].weight = zeros(3 * d, d)
    layer.self_attention.linear[0].bias = zeros(3 * d)
    layer.self_attention.linear[1].weight = zeros(d, d)
    layer.self_attention.linear[1].bias = zeros(d)
    norm(layer.ffn.layer_norm)
    layer.ffn.linear_0.weight = zeros(d, d)
    layer.ffn.linear_0.bias = zeros(d)
    layer.ffn.linear_1.weight = zeros(d, d)
    layer.ffn.linear_1.bias = zeros(d)

    # Decoder: input = one-hot position only.
    dec.scale_embeddings = False
    dec.embeddings.weight = zeros(v, d)
    dec.position_encodings.encodings = positions
    layer = dec.layer[0]
    norm(layer.self_attention.layer_norm)
    layer.self_attention.linear[0].weight = zeros(3 * d, d)
    layer.self_attention.linear[0].bias = zeros(3 * d)
    layer.self_attention.linear[1].weight = zeros(d, d)
    layer.self_attention.linear[1].bias = zeros(d)
    att = layer.attention
    norm(att.layer_norm)
    sharp = 50.0  # query scale: attention on the matching position is ~1.0
    query = zeros(d, d)
    query[v + np.arange(p), v + np.arange(p)] = sharp
    att.linear[0].weight = query
    att.linear[0].bias = zeros(d)
    key_value = zeros(2 * d, d)
    key_value[v + np.arange(p), v + np.arange(p)] = 1.0  # key: position block
    key_value[d + np.arange(v), np.arange(v)] = 1.0  # value: token block
    att.linear[1].weight = key_value
    att.linear[1].bias = zeros(2 * d)
    out = zeros(d, d)
    out[np.arange(v), np.arange(v)] = 1.0
    att.linear[2].weight = out
    att.linear[2].bias = zeros(d)
    norm(layer.ffn.layer_norm)
    layer.ffn.linear_0.weight = zeros(d, d)
    layer.ffn.linear_0.bias = zeros(d)
    layer.ffn.linear_1.weight = zeros(d, d)
    layer.ffn.linear_1.bias = zeros(d)
    projection = zeros(v, d)
    projection[np.arange(v), np.arange(v)] = 20.0
    dec.projection.weight = projection
    dec.projection.bias = zeros(v)
    return spec


def _random_spec(vocab_size: int, size: str, seed: int):  # type: ignore[no-untyped-def]
    common_spec, transformer_spec = _import_specs()

    layers, d, heads, ffn, _ = SIZES[size]
    spec = transformer_spec.TransformerSpec.from_config(num_layers=layers, num_heads=heads)
    rng = np.random.default_rng(seed)

    def fill(obj) -> None:  # type: ignore[no-untyped-def]
        """Set every layer norm of a spec (sub)tree to the identity."""
        if isinstance(obj, list):
            for item in obj:
                fill(item)
            return
        if isinstance(obj, common_spec.LayerNormSpec):
            obj.gamma = np.ones(d, dtype=np.float32)
            obj.beta = np.zeros(d, dtype=np.float32)
            return
        if isinstance(obj, common_spec.LinearSpec):
            return  # shapes depend on the parent; set below
        for name, value in list(vars(obj).items()):
            if name.startswith("_"):
                continue
            if isinstance(value, list) or hasattr(value, "__dict__"):
                fill(value)

    def linear(lin, out_dim: int, in_dim: int) -> None:  # type: ignore[no-untyped-def]
        lin.weight = (rng.standard_normal((out_dim, in_dim)) / np.sqrt(in_dim)).astype(np.float32)
        lin.bias = np.zeros(out_dim, dtype=np.float32)

    fill(spec.encoder)
    fill(spec.decoder)
    emb_scale = 1.0 / np.sqrt(d)
    spec.encoder.embeddings[0].weight = (rng.standard_normal((vocab_size, d)) * emb_scale).astype(
        np.float32
    )
    spec.decoder.embeddings.weight = (rng.standard_normal((vocab_size, d)) * emb_scale).astype(
        np.float32
    )
    for layer in spec.encoder.layer:
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        linear(layer.ffn.linear_0, ffn, d)
        linear(layer.ffn.linear_1, d, ffn)
    for layer in spec.decoder.layer:
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        linear(layer.attention.linear[2], d, d)
        linear(layer.ffn.linear_0, ffn, d)
        linear(layer.ffn.linear_1, d, ffn)
    linear(spec.decoder.projection, vocab_size, d)
    return spec


# --- the ONNX sentence splitter ------------------------------------------------------

# MiniSBD character vocabulary: <PAD>=0, <UNK>=1, then the units the graph looks at.
_SBD_UNITS = ["<PAD>", "<UNK>", ".", "!", "?", " ", "…"]


def minisbd_onnx(lang_code: str = "xx") -> bytes:
    """A tiny ONNX model that minisbd's ``SBDetect`` loads and runs.

    Input ``units`` (int64, batch x chars) and ``features`` (float32, unused beyond
    its shape); output ``logits`` (batch x chars x 5). Label 2 (sentence end) goes to
    ``.``, ``!``, ``?`` or ``…`` followed by a space or by the end of the text; label 1
    (token end) to any other character followed by a space; label 0 otherwise.
    """
    import onnx
    from onnx import TensorProto, helper

    def const(name: str, values: list[int] | list[float], dtype: int) -> onnx.NodeProto:
        arr = np.array(values, dtype=np.int64 if dtype == TensorProto.INT64 else np.float32)
        return helper.make_node(
            "Constant",
            [],
            [name],
            value=helper.make_tensor(name + "_v", dtype, arr.shape, arr.flatten().tolist()),
        )

    pad, space = 0, _SBD_UNITS.index(" ")
    terminators = [_SBD_UNITS.index(c) for c in ".!?…"]
    nodes = [
        const("pad_col", [[pad]], TensorProto.INT64),
        const("space_id", [space], TensorProto.INT64),
        const("pad_id", [pad], TensorProto.INT64),
        const("one", [1], TensorProto.INT64),
        const("big", [1 << 30], TensorProto.INT64),
        const("axis1", [1], TensorProto.INT64),
        # next[:, i] = units[:, i + 1], PAD after the last character
        helper.make_node("Slice", ["units", "one", "big", "axis1"], ["tail"]),
        helper.make_node("Shape", ["units"], ["shape"]),
        const("shape_idx0", [0], TensorProto.INT64),
        helper.make_node("Gather", ["shape", "shape_idx0"], ["batch"], axis=0),
        helper.make_node("Concat", ["batch", "one"], ["pad_shape"], axis=0),
        helper.make_node("Expand", ["pad_col", "pad_shape"], ["pads"]),
        helper.make_node("Concat", ["tail", "pads"], ["next"], axis=1),
        helper.make_node("Equal", ["next", "space_id"], ["next_space"]),
        helper.make_node("Equal", ["next", "pad_id"], ["next_pad"]),
        helper.make_node("Or", ["next_space", "next_pad"], ["next_break"]),
        helper.make_node("Equal", ["units", "space_id"], ["is_space"]),
        helper.make_node("Not", ["is_space"], ["not_space"]),
        helper.make_node("And", ["not_space", "next_space"], ["word_end"]),
    ]
    term_outputs = []
    for i, tid in enumerate(terminators):
        nodes.append(const(f"t{i}", [tid], TensorProto.INT64))
        nodes.append(helper.make_node("Equal", ["units", f"t{i}"], [f"is_t{i}"]))
        term_outputs.append(f"is_t{i}")
    acc = term_outputs[0]
    for i, name in enumerate(term_outputs[1:]):
        nodes.append(helper.make_node("Or", [acc, name], [f"term_acc{i}"]))
        acc = f"term_acc{i}"
    nodes += [
        helper.make_node("And", [acc, "next_break"], ["sent_end"]),
        helper.make_node("Cast", ["word_end"], ["word_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["sent_end"], ["sent_f"], to=TensorProto.FLOAT),
        # logits: class 0 = 0.5, class 1 = word_end, class 2 = 2 * sent_end, 3 and 4 = -1
        const("zero_f", [0.0], TensorProto.FLOAT),
        const("half", [0.5], TensorProto.FLOAT),
        const("two", [2.0], TensorProto.FLOAT),
        const("minus", [-0.5], TensorProto.FLOAT),
        helper.make_node("Mul", ["sent_f", "two"], ["sent2"]),
        helper.make_node("Mul", ["word_f", "zero_f"], ["zeros"]),
        helper.make_node("Add", ["zeros", "half"], ["c0"]),  # 0.5 everywhere
        helper.make_node("Add", ["zeros", "minus"], ["c_neg"]),  # -0.5 everywhere
        helper.make_node("Unsqueeze", ["c0", "axis2"], ["l0"]),
        helper.make_node("Unsqueeze", ["word_f", "axis2"], ["l1"]),
        helper.make_node("Unsqueeze", ["sent2", "axis2"], ["l2"]),
        helper.make_node("Unsqueeze", ["c_neg", "axis2"], ["l3"]),
        helper.make_node("Concat", ["l0", "l1", "l2", "l3", "l3"], ["logits"], axis=2),
        const("axis2", [2], TensorProto.INT64),
    ]
    # Constants must come before use: move every Constant node to the front.
    nodes = [n for n in nodes if n.op_type == "Constant"] + [
        n for n in nodes if n.op_type != "Constant"
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_sbd",
        [
            helper.make_tensor_value_info("units", TensorProto.INT64, ["B", "N"]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["B", "N", "F"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", "N", 5])],
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tolmach-tests"
    )
    model.ir_version = 8
    vocab = {
        "lang": lang_code,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {u: i for i, u in enumerate(_SBD_UNITS)},
        "_id2unit": _SBD_UNITS,
    }
    config = {"skip_newline": False, "max_seqlen": 1000, "batch_size": 32, "feat_funcs": []}
    helper.set_model_props(
        model,
        {"lang_code": lang_code, "config": json.dumps(config), "vocab": json.dumps(vocab)},
    )
    onnx.checker.check_model(model)
    return model.SerializeToString()


# --- packaging --------------------------------------------------------------------------


def _package_bytes(
    kind: str,
    from_code: str,
    to_code: str,
    size: str,
    version: str,
    seed: int,
    name: str,
    target_prefix: str | None = None,
    sbd: bool = True,
) -> bytes:
    import ctranslate2  # noqa: F401  (fails early, clearly, when missing)

    sp_bytes = _train_sentencepiece(size)
    vocab = _pieces(sp_bytes)
    if kind == "identity":
        if size != "tiny":
            raise ValueError("identity packages exist in size 'tiny' only")
        spec = _identity_spec(vocab)
    elif kind == "random":
        spec = _random_spec(len(vocab), size, seed)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    spec.config.add_source_eos = kind == "identity"
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    metadata = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": from_code.upper(),
        "to_code": to_code,
        "to_name": to_code.upper(),
        "type": "translate",
        "code": name,
    }
    if target_prefix is not None:
        metadata["target_prefix"] = target_prefix
    with tempfile.TemporaryDirectory(prefix="argos-pkg-") as tmp:
        model_dir = Path(tmp) / "model"
        spec.validate()
        # Argos ships int8 models; the tiny ones stay float32 (exact identity weights).
        spec.optimize(quantization="int8" if size == "argos" else None)
        model_dir.mkdir()
        spec.save(str(model_dir))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=2))
            zf.writestr(f"{name}/sentencepiece.model", sp_bytes)
            for path in sorted(model_dir.iterdir()):
                zf.write(path, f"{name}/model/{path.name}")
            if sbd:
                zf.writestr(f"{name}/minisbd/{from_code}.onnx", minisbd_onnx(from_code))
            zf.writestr(f"{name}/README.md", f"Test package ({kind}, {size}) built offline.\n")
    return buf.getvalue()


def build_package(
    dest_dir: str | Path,
    *,
    kind: str = "identity",
    from_code: str = "ru",
    to_code: str = "en",
    size: str = "tiny",
    version: str = "1.0",
    seed: int = 0,
    name: str | None = None,
    target_prefix: str | None = None,
    sbd: bool = True,
) -> Path:
    """Write a real ``.argosmodel`` zip into ``dest_dir`` and return its path.

    Built zips are cached per parameters in this process, so calling it again is a
    file copy. ``target_prefix`` goes into metadata.json; ``sbd=False`` leaves out
    the MiniSBD model (argostranslate would then download one: fast path only).
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}")
    name = name or f"translate-{from_code}_{to_code}-{kind}-{version}"
    key = (kind, from_code, to_code, size, version, seed, name, target_prefix, sbd)
    with _lock:
        data = _cache.get(key)
    if data is None:
        data = _package_bytes(*key)  # type: ignore[arg-type]
        with _lock:
            _cache[key] = data
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(repr(key).encode()).hexdigest()[:8]
    out = dest / f"{name}-{digest}.argosmodel"
    out.write_bytes(data)
    return out


def extract_package(package: Path, dest_dir: Path) -> Path:
    """Unzip a built package into dest_dir; return the package folder."""
    with zipfile.ZipFile(package) as zf:
        top = zf.namelist()[0].split("/")[0]
        zf.extractall(dest_dir)
    return dest_dir / top


__all__ = ["build_package", "extract_package", "minisbd_onnx"]
