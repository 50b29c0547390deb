"""Machine translation throughput: translate-flow's pretranslate vs bare CTranslate2 vs argos.

Builds (once, cached under build/bench/) an Argos package of realistic size — Transformer
base, 6+6 layers, d_model 512, int8, ~16k SentencePiece vocabulary; its hand-set weights
transliterate, so every path must produce the same strings — and 300 newsletter-like
paragraphs, then measures, each in a fresh process (for its own peak memory):

* pretranslate: the whole stage on a project whose catalog holds the 300 paragraphs
  (catalog reading and writing, masking, splitting, the cache — empty — and the model);
* bare CTranslate2: `translate_batch` over the same sentences, same decoding options, in the
  best configuration found on this machine (two candidates are tried);
* argostranslate.translate once per paragraph, if argostranslate is importable.

Run: `make bench-mt` (a few minutes on 2 cores, plus ~5 min for argostranslate, which runs
from this interpreter if it has it, else from `ARGOS_PYTHON=/path/to/python` if set).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from support.argos_package import EN_RU, build_package, newsletter_paragraphs  # noqa: E402

PARAGRAPHS = 300
BEAM = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["pretranslate", "ct2", "argos"])
    parser.add_argument("--package", type=Path)
    parser.add_argument("--config", default="")
    args = parser.parse_args()
    if args.mode:
        seconds, output = MODES[args.mode](args.package, args.config)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
        print(json.dumps({"seconds": seconds, "peak_gib": peak, "output": output}))
        return
    report()


def report() -> None:
    folder = REPO / "build" / "bench"
    archive = folder / "translate-en_ru-0_0_1.argosmodel"
    if not archive.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        build_package(folder, EN_RU, preset="base")
        print(f"built the base-size package in {time.monotonic() - started:.1f} s")
    cores = os.cpu_count() or 1
    print(f"{PARAGRAPHS} paragraphs, beam {BEAM}, {cores} cores, base-size int8 model")
    rows = {"pretranslate": run("pretranslate", archive)}
    bare = {
        config: run("ct2", archive, config)
        for config in (f"inter={cores},intra=1,examples/32", "inter=1,intra=2,tokens/1024")
    }
    best = min(bare, key=lambda c: bare[c]["seconds"])
    rows[f"bare ct2 ({best})"] = bare[best]
    for config, row in bare.items():
        if config != best:
            rows[f"bare ct2 ({config})"] = row
    argos_python = os.environ.get("ARGOS_PYTHON")
    if argos_python or importlib.util.find_spec("argostranslate"):
        rows["argostranslate per paragraph"] = run("argos", archive, python=argos_python)
    else:
        print("argostranslate is not installed (or ARGOS_PYTHON unset): its row is skipped")
    reference = rows["pretranslate"]["output"]
    for name, row in rows.items():
        rate = PARAGRAPHS / row["seconds"]
        same = "same output" if row["output"] == reference else "OUTPUT DIFFERS"
        print(
            f"{name:45} {row['seconds']:7.1f} s {rate:7.2f} paragraphs/s "
            f"peak {row['peak_gib']:.2f} GiB  {same}"
        )
    ours = rows["pretranslate"]["seconds"]
    print(f"pretranslate vs best bare ct2: {bare[best]['seconds'] / ours:.2f}x")
    if "argostranslate per paragraph" in rows:
        argos = rows["argostranslate per paragraph"]["seconds"]
        print(f"pretranslate vs argostranslate: {argos / ours:.1f}x")


def _paragraphs() -> list[str]:
    """PARAGRAPHS distinct paragraphs: a catalog cannot hold the same msgid twice."""
    unique = list(dict.fromkeys(newsletter_paragraphs(PARAGRAPHS * 2, seed=42)))
    return unique[:PARAGRAPHS]


def run(mode: str, archive: Path, config: str = "", python: str | None = None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(
            os.environ,
            ARGOS_PACKAGES_DIR=str(Path(scratch) / "argos"),
            XDG_DATA_HOME=str(Path(scratch) / "data"),
            XDG_CONFIG_HOME=str(Path(scratch) / "config"),
            XDG_CACHE_HOME=str(Path(scratch) / "cache"),
            TMPDIR=scratch,
        )
        command = [
            python or sys.executable,
            __file__,
            "--mode",
            mode,
            "--package",
            str(archive),
            "--config",
            config,
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{mode} failed:\n{done.stderr}")
        result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


# -- the measured runs, each in its own process -----------------------------------------------


def pretranslate_mode(archive: Path, _: str) -> tuple[float, list[str]]:
    import polib

    from translate_flow import models
    from translate_flow.config import load_config
    from translate_flow.pretranslate import pretranslate

    root = Path(tempfile.mkdtemp())
    (root / "pyproject.toml").write_text('[tool.translate-flow]\nlanguages = ["ru"]\n')
    (root / "source" / "2024-01").mkdir(parents=True)
    (root / "source" / "2024-01" / "news.rst").write_text("News\n")
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for paragraph in _paragraphs():
        po.append(polib.POEntry(msgid=paragraph, msgstr=""))
    path = root / "locale" / "ru" / "LC_MESSAGES" / "2024-01" / "news.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    config = load_config(root)
    models.install_file(archive, config.models_dir)
    started = time.monotonic()
    pretranslate(config, languages=["ru"])
    seconds = time.monotonic() - started
    output = [entry.msgstr for entry in polib.pofile(str(path)) if entry.msgid]
    if not all(output):  # a silently skipped catalog would look infinitely fast
        raise SystemExit(f"pretranslate left {output.count('')} of {len(output)} entries empty")
    shutil.rmtree(root)
    return seconds, output


def ct2_mode(archive: Path, config: str) -> tuple[float, list[str]]:
    import ctranslate2

    from translate_flow import models, mt

    package = models.install_file(archive, Path(tempfile.mkdtemp()))
    engine = mt.ArgosEngine(package)
    engine.load()
    paragraphs = _paragraphs()
    assert engine._splitter is not None
    sentences = [engine._splitter(p) for p in paragraphs]
    pieces = [engine._tokenizer.encode(s, out_type=str) for para in sentences for s in para]
    threads, batching = config.rsplit(",", 1)
    inter, intra = (int(part.split("=")[1]) for part in threads.split(","))
    batch_type, size = batching.split("/")
    translator = ctranslate2.Translator(
        str(package.model_dir),
        device="cpu",
        compute_type="auto",
        inter_threads=inter,
        intra_threads=intra,
    )
    started = time.monotonic()
    results = translator.translate_batch(
        pieces,
        beam_size=BEAM,
        num_hypotheses=1,
        length_penalty=0.2,
        replace_unknowns=True,
        max_batch_size=int(size),
        batch_type=batch_type,
    )
    seconds = time.monotonic() - started
    hypotheses = iter(r.hypotheses[0] for r in results)
    output = [engine._detokenize([next(hypotheses) for _ in para]) for para in sentences]
    return seconds, output


def argos_mode(archive: Path, _: str) -> tuple[float, list[str]]:
    from argostranslate import package, translate

    package.install_from_path(archive)
    paragraphs = _paragraphs()
    translate.translate(paragraphs[0], "en", "ru")  # load the model and the splitter
    translate.get_translation_from_codes("en", "ru").cache = {}  # type: ignore[union-attr]
    started = time.monotonic()
    output = [translate.translate(p, "en", "ru") for p in paragraphs]
    return time.monotonic() - started, output


MODES = {"pretranslate": pretranslate_mode, "ct2": ct2_mode, "argos": argos_mode}

if __name__ == "__main__":
    main()
