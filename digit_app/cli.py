"""Command line: ``digit-app`` (the GUI), ``recognize``, ``train``, ``combine``, ``evaluate``, ``adapt``,
``export-lite``.

No Qt here; heavy imports (TensorFlow, the GUI) happen inside the subcommand that needs them,
so ``digit-app --help`` is instant. Errors are one readable line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def _fail(message: str) -> int:
    print(f"digit-app: error: {message}", file=sys.stderr)
    return EXIT_FAILURES


def _command_line(args: argparse.Namespace) -> str:
    """The command as typed (arguments shell-quoted), recorded in the model's metadata."""
    return " ".join(["digit-app", *(shlex.quote(a) for a in args.argv)])


def cmd_train(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from digit_app.model.training import TrainConfig, train

    if args.print_model and args.pair_model:
        return _fail("--print-model and --pair-model: train one model at a time")
    if args.print_model:
        return _train_print_model(args)
    if args.pair_model:
        return _train_pair_model(args)
    cfg = TrainConfig(limit=args.limit, seed=args.seed, real_data=not args.no_real,
                      real_dir=args.real_data)
    if args.epochs is not None:
        cfg = replace(cfg, epochs=args.epochs)
    if args.members is not None:
        cfg = replace(cfg, members=args.members)
    if args.mnist_share is not None:
        cfg = replace(cfg, recipe=replace(cfg.recipe, mnist_share=args.mnist_share))
    result = train(args.out or "models/lenet.keras", args.data, cfg, command=_command_line(args),
                   progress=args.progress)
    if cfg.real_data and not cfg.limit:
        _evaluate_real_into(result.model_path, cfg.real_dir, args.progress)
    return EXIT_OK


def _evaluate_real_into(model_path, real_dir: str | None, bar: bool | None) -> None:
    """Measure the held-out real writers, as ``evaluate --real`` does, into the metadata."""
    from digit_app.real_eval import evaluate_real, figures_of
    from digit_app.recognizer import Recognizer

    reports = evaluate_real(Recognizer.load(model_path), real_dir, progress=print, bar=bar)
    _write_evaluation(model_path, "evaluation_real", figures_of(reports), "digit-app evaluate --real")


def cmd_combine(args: argparse.Namespace) -> int:
    from digit_app.data import real
    from digit_app.model.combine import combine

    info = combine(args.models, args.out, args.data, command=_command_line(args),
                   progress=args.progress)
    print(f"saved {args.out}: the mean of {len(info.training['members'])} nets; "
          f"MNIST test accuracy {info.evaluation['accuracy']:.4f}")
    if real.all_found(args.real_data):
        _evaluate_real_into(args.out, args.real_data, args.progress)
    else:
        print("held-out real writers not measured: the real data sets were not found (--real-data)")
    return EXIT_OK


def _train_print_model(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from digit_app.model.print_training import PrintTrainConfig, train_print_model

    cfg = PrintTrainConfig(seed=args.seed, real_data=not args.no_real, real_dir=args.real_data)
    if args.epochs is not None:
        cfg = replace(cfg, epochs=args.epochs)
    if args.limit:  # quick runs: about this many samples in all
        cfg = replace(cfg, scale=args.limit / sum(cfg.data.counts(1.0).values()))
    train_print_model(args.out or "models/printed.keras", args.data, cfg, command=_command_line(args))
    return EXIT_OK


def _train_pair_model(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from digit_app.model.pair_training import PairTrainConfig, train_pair_model

    cfg = PairTrainConfig(seed=args.seed, real_data=not args.no_real, real_dir=args.real_data)
    if args.epochs is not None:
        cfg = replace(cfg, epochs=args.epochs)
    if args.limit:  # quick runs: this many training samples, a tenth of that for validation
        cfg = replace(cfg, samples=args.limit, validation_samples=max(10, args.limit // 10))
    train_pair_model(args.out or "models/pairs.keras", args.data, cfg, command=_command_line(args))
    return EXIT_OK


def cmd_evaluate_scenes(args: argparse.Namespace) -> int:
    from digit_app.data.scenes import ALL_KINDS
    from digit_app.recognizer import Recognizer
    from digit_app.scene_eval import evaluate_scenes

    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in ALL_KINDS]
    if unknown or not kinds:
        return _fail(f"--kinds: unknown scene kind {', '.join(unknown) or '(none)'}; "
                     f"expected some of {', '.join(ALL_KINDS)}")
    recognizer = Recognizer.load(args.model)
    progress = None if args.json else print
    reports = evaluate_scenes(recognizer, args.scenes, kinds, seed=args.seed, data_dir=args.data,
                              progress=progress, bar=args.progress, real_dir=args.real_data)
    if args.json:
        print(json.dumps({"model": recognizer.model_name, "scenes": [r.to_dict() for r in reports]}, indent=2))
    if args.write_metadata:
        figures = {"seed": args.seed, "scenes": [r.to_dict() for r in reports]}
        _write_evaluation(recognizer.classifier.path, "evaluation_scenes", figures, _command_line(args))
    return EXIT_OK


def cmd_evaluate_real(args: argparse.Namespace) -> int:
    from digit_app.real_eval import evaluate_real, figures_of
    from digit_app.recognizer import Recognizer

    recognizer = Recognizer.load(args.model)
    progress = None if args.json else print
    reports = evaluate_real(recognizer, args.real_data, limit=args.limit, progress=progress,
                            bar=args.progress)
    figures = figures_of(reports)
    if args.json:
        print(json.dumps({"model": recognizer.model_name, **figures}, indent=2))
    else:
        s = figures["all"]
        print(f"{'all':>16}: {s['samples']} digits | read right {s['accuracy']:.4f} | "
              f"no digit {s['no_digit_rate']:.4f} (target at most {s['target_no_digit_rate']:.2f})")
    if args.write_metadata:
        _write_evaluation(recognizer.classifier.path, "evaluation_real", figures, _command_line(args))
    return EXIT_OK


def _write_evaluation(model_path, field: str, figures: dict, command: str) -> None:
    """Record ``figures`` (with the command that measured them) in the model's metadata."""
    from digit_app.model.metadata import read_info, write_info

    info = read_info(model_path)
    setattr(info, field, {**figures, "command": command})
    write_info(model_path, info)


def cmd_evaluate_samples(args: argparse.Namespace) -> int:
    from digit_app.adaptation import evaluate_samples
    from digit_app.model.classifier import Classifier

    classifier = Classifier.load(args.model)
    summary = evaluate_samples(classifier, args.samples)
    summary["model"] = classifier.name
    if args.json:
        print(json.dumps(summary, indent=2))
        return EXIT_OK
    print(f"model: {classifier.path}")
    print(f"samples: {summary['samples_dir']}")
    print(f"accuracy on your samples: {summary['accuracy']:.4f} "
          f"({summary['errors']} errors in {summary['samples']}; all 11 classes)")
    _print_per_class(summary["per_class"])
    print("confusion (rows true, columns predicted 0-9 and 'not a digit'):")
    for c, row in enumerate(summary["confusion"]):
        if sum(row):
            name = str(c) if c < 10 else "not"
            print(f"  {name:>3}: " + " ".join(f"{v:4d}" for v in row))
    return EXIT_OK


def _print_per_class(rows: list[dict]) -> None:
    print(f"{'class':>12} {'precision':>9} {'recall':>7} {'support':>7}")
    for row in rows:
        print(f"{row['class']:>12} {row['precision']:9.4f} {row['recall']:7.4f} {row['support']:7d}")


def cmd_evaluate(args: argparse.Namespace) -> int:
    from digit_app.model.classifier import Classifier
    from digit_app.model.evaluation import evaluate_classifier

    if args.samples:
        if args.scenes or args.report or args.write_metadata or args.limit:
            return _fail("--samples cannot be combined with --scenes, --report, --write-metadata "
                         "or --limit")
        return cmd_evaluate_samples(args)
    if args.write_metadata and args.limit:
        return _fail("--write-metadata needs the whole test set (no --limit)")
    if args.real:
        return cmd_evaluate_real(args)
    if args.scenes:
        return cmd_evaluate_scenes(args)
    classifier = Classifier.load(args.model)
    result = evaluate_classifier(classifier, args.data, limit=args.limit, progress=args.progress)
    summary = result.summary()
    if args.write_metadata:
        _write_evaluation(classifier.path, "evaluation", summary, "digit-app evaluate --write-metadata")
    summary["model"] = classifier.name
    if args.report:
        from digit_app.model.report import write_report

        summary["report"] = [str(p) for p in write_report(result, Path(args.report))]
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"model: {classifier.path}")
        print(f"MNIST test accuracy: {summary['accuracy']:.4f} "
              f"({summary['errors']} errors in {summary['samples']}); with the 'not a digit' "
              f"class: {summary['accuracy_with_rejection']:.4f} "
              f"({summary['rejected_as_not_digit']} digits rejected)")
        _print_per_class(summary["per_class"])
        print("confusion (rows true 0-9, columns predicted 0-9 and 'not a digit'):")
        for d, row in enumerate(summary["confusion"]):
            print(f"  {d}: " + " ".join(f"{v:4d}" for v in row))
        for p in summary.get("report", []):
            print(f"wrote {p}")
    return EXIT_OK


def cmd_adapt(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from digit_app.adaptation import AdaptConfig, adapt

    cfg = AdaptConfig(seed=args.seed, mnist_test_limit=args.limit)
    if args.epochs is not None:
        cfg = replace(cfg, epochs=args.epochs)
    shown: list[str] = []
    stream = sys.stderr if args.json else sys.stdout  # --json: standard output is the document

    def progress(step: int, total: int, message: str) -> None:
        if not shown or shown[-1] != message:  # one line per phase or epoch, not per batch
            shown.append(message)
            print(f"[{100 * step // max(total, 1):3d}%] {message}", file=stream, flush=True)

    outcome = adapt(args.samples, args.model, args.out, args.data, cfg, progress=progress,
                    command=_command_line(args))
    if args.json:
        print(json.dumps(outcome.to_dict(), indent=2))
    else:
        print(outcome.summary())
    if not outcome.kept:
        print(f"digit-app: the adapted model was not kept: {outcome.reason}; "
              f"{outcome.base_model} stays in use", file=sys.stderr)
        return EXIT_FAILURES
    return EXIT_OK


def cmd_export_lite(args: argparse.Namespace) -> int:
    from digit_app.model.classifier import DEFAULT_MODEL, check_model_file, load_keras_model
    from digit_app.model.lite_files import export, sha256_of
    from digit_app.model.metadata import read_info

    path = Path(args.model) if args.model else DEFAULT_MODEL
    check_model_file(path)
    read_info(path)  # reading needs the JSON beside the model too: say so now if it is missing
    written = export(load_keras_model(path), path)
    print(f"wrote {written[0]} ({written[0].stat().st_size / 1e6:.2f} MB) and {written[1].name}, "
          f"from {path} (SHA-256 {sha256_of(path)[:12]}...)")
    return EXIT_OK


def cmd_recognize(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from digit_app.batch import BatchError, recognize_to_file, stream_paths
    from digit_app.output import StreamWriter
    from digit_app.pipeline import PipelineConfig

    usage = _recognize_usage_error(args)
    if usage:
        print(f"digit-app recognize: error: {usage}", file=sys.stderr)
        return EXIT_USAGE
    config = PipelineConfig()
    if args.min_confidence is not None:
        config = replace(config, min_confidence=args.min_confidence)
    if args.printed:
        config = replace(config, read_printed=True)
    jobs = args.jobs if args.jobs is not None or args.scheduler else 1
    common = {"model": args.model, "config": config, "dpi": args.dpi, "jobs": jobs,
              "scheduler": args.scheduler, "progress": args.progress}
    try:
        if args.out:
            def report(err: dict) -> None:
                from tqdm import tqdm

                tqdm.write(f"digit-app: {err['path']}: {err['error']}", file=sys.stderr)

            summary = recognize_to_file(args.paths, args.out, resume=args.resume, on_error=report,
                                        **common)
            print(f"digit-app: {summary.pages} pages and {summary.errors} errors written to "
                  f"{args.out}" + (f"; {summary.skipped_files} files were already there"
                                   if args.resume else ""), file=sys.stderr)
            return EXIT_FAILURES if summary.errors else EXIT_OK
        # Written page by page: a 500-page scan is never held in memory whole.
        errors, parts = stream_paths(args.paths, **common)
        writer, model = StreamWriter(args.format or "text", sys.stdout), ""
        for part in parts:
            model = model or part.model
            for record in part.records:
                if "error" in record:
                    errors.append(record)
                else:
                    writer.result(model, record)
        writer.close(model, errors)
    except BatchError as exc:
        return _fail(str(exc))
    for err in errors:
        print(f"digit-app: {err['path']}: {err['error']}", file=sys.stderr)
    return EXIT_FAILURES if errors else EXIT_OK


def _recognize_usage_error(args: argparse.Namespace) -> str | None:
    if args.resume and not args.out:
        return "--resume continues an --out file: give --out FILE"
    if args.out and args.format:
        return "--format is for standard output; --out writes JSON lines"
    if args.scheduler and args.scheduler != "local" and args.jobs is not None:
        return "--jobs sets the processes of this machine (or of --scheduler local); " \
               "a cluster's workers are set where they are started"
    return None


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 1, got {text}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def _no_display_reason() -> str | None:
    """Why a window cannot open here (Linux without X11 or Wayland), or None."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            "run it in a desktop session, or under a virtual screen: xvfb-run digit-app")


def cmd_gui(args: argparse.Namespace) -> int:
    reason = _no_display_reason()
    if reason:
        return _fail(reason)
    try:
        from digit_app.gui.app import run
    except ImportError as exc:
        return _fail(f"the desktop app is not available ({exc})")
    return run(model=args.model)


def _progress_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help=f"progress bars on standard error {what} (default: only when standard "
                   "error is a terminal)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digit-app",
        description="Read handwritten digits: drawn, seen by a webcam, or on scanned documents. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument("--model", help="model file (.keras); default: the shipped model")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("recognize", help="read the digits and numbers in images, scans and PDFs")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="image (PNG, JPEG, BMP, TIFF, WebP), PDF, folder of them, or - for standard input")
    p.add_argument("--format", choices=("json", "csv", "text"),
                   help="json: one document; csv: one row per number; text: one line per page "
                   "(default)")
    p.add_argument("--min-confidence", type=_fraction, metavar="P",
                   help="report digits at least this sure (0-1; default from the pipeline settings)")
    p.add_argument("--printed", action="store_true",
                   help='also report printed digits (labels, page numbers), marked "printed": true '
                        "in JSON; by default only handwriting is read")
    p.add_argument("--dpi", type=_positive, default=200, help="PDF rendering resolution (default 200)")
    p.add_argument("--jobs", type=_positive,
                   help="worker processes for large batches (default 1; with --scheduler local: "
                   "one per core)")
    p.add_argument("--out", metavar="FILE",
                   help="write a JSON line per page to FILE as soon as it is read, instead of "
                   "printing (large archives; FILE must not exist unless --resume)")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted --out FILE: skip the pages it already holds")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the Dask cluster whose scheduler is at ADDRESS "
                   "(tcp://host:8786), or 'local' for one on this machine "
                   "(needs pip install 'digit-app[cluster]')")
    p.add_argument("--model", help="model file (.keras); default: the shipped model")
    _progress_option(p, "of files (more than 50) or pages")
    p.set_defaults(func=cmd_recognize)

    p = sub.add_parser("train", help="train the LeNet model on MNIST")
    p.add_argument("--epochs", type=_positive, help="training epochs (default: TrainConfig.epochs)")
    p.add_argument("--data", help="folder with the four MNIST .gz files")
    p.add_argument("--out", help="output .keras file (default: models/lenet.keras, or "
                   "models/printed.keras with --print-model, models/pairs.keras with --pair-model)")
    p.add_argument("--limit", type=int, help="use only the first N training digits (with "
                   "--print-model: about N samples; with --pair-model: N pairs)")
    p.add_argument("--print-model", action="store_true",
                   help="train the print detector (printed glyphs against handwriting), which "
                   "tells printed digits from handwritten ones, instead of the digit model")
    p.add_argument("--pair-model", action="store_true",
                   help="train the pair reader (two touching or overlapping digits read "
                   "together), which reads what column cuts cannot part, instead of the digit model")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--members", type=_positive, metavar="N",
                   help="train N nets (seeds SEED, SEED+1, ...) and save their mean as one model "
                   "(default: TrainConfig.members)")
    p.add_argument("--real-data", metavar="DIR",
                   help="folder holding unipen/, bhmsds/, kensanata16/ (default: $DIGIT_APP_REAL_DATA, ../shared/data)")
    p.add_argument("--no-real", action="store_true", help="train on MNIST only (no real handwriting sets)")
    p.add_argument("--mnist-share", type=_share, metavar="P",
                   help="share of the MNIST digits shown in each epoch, a fresh random part each "
                   "time; the real digits are all shown (default: 1, every digit). 0.5 trains "
                   "about a third faster and reads a little worse: README, 'The model'")
    _progress_option(p, "over each epoch's batches and the evaluations")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("combine", help="save digit models trained apart as one ensemble",
                       description="Save digit models trained apart (digit-app train --seed N) as "
                       "one model that reads the mean of their probabilities, with its LiteRT form "
                       "and metadata: what train --members N makes in one run. Measured on MNIST, "
                       "and on the held-out real writers when the real data is found.")
    p.add_argument("models", nargs="+", metavar="MODEL", help="trained digit models (.keras)")
    p.add_argument("--out", required=True, help="output .keras file")
    p.add_argument("--data", help="folder with the four MNIST .gz files")
    p.add_argument("--real-data", metavar="DIR",
                   help="folder holding unipen/, bhmsds/, kensanata16/ (default: $DIGIT_APP_REAL_DATA, ../shared/data)")
    _progress_option(p, "over the evaluations")
    p.set_defaults(func=cmd_combine)

    p = sub.add_parser("evaluate", help="measure a model on the MNIST test set")
    p.add_argument("--model", help="model file (.keras); default: the shipped model")
    p.add_argument("--data", help="folder with the four MNIST .gz files")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--report", metavar="DIR",
                   help="write a confusion matrix picture and a gallery of the worst mistakes")
    p.add_argument("--limit", type=int, help="use only the first N test digits")
    p.add_argument("--write-metadata", action="store_true",
                   help="record the figures in the model's JSON metadata")
    p.add_argument("--scenes", type=_positive, metavar="N",
                   help="instead: read N generated scenes of each kind (drawing, scan, webcam) "
                   "made from MNIST test digits, and report detection and reading rates")
    p.add_argument("--kinds", default="drawing,scan,webcam",
                   help="scene kinds for --scenes: drawing, scan, webcam, touching "
                        "(touching and broken digit strings), touching-unipen (the same strings "
                        "written by held-out UNIPEN writers; needs the real data, see --real-data), "
                        "touching-legible and touching-unipen-legible (overlaps measured on the "
                        "narrower digit, so that none hides under its neighbour), drawing-unipen "
                        "(the drawing canvas written by held-out UNIPEN writers)")
    p.add_argument("--real", action="store_true",
                   help="measure on the held-out writers and sites of the real handwriting sets")
    p.add_argument("--real-data", metavar="DIR",
                   help="for --real (and the -unipen kinds): folder holding unipen/, "
                        "bhmsds/, kensanata16/ (default: $DIGIT_APP_REAL_DATA, ../shared/data)")
    p.add_argument("--seed", type=int, default=0, help="scene generator seed for --scenes")
    p.add_argument("--samples", metavar="DIR",
                   help="instead: accuracy on your corrected samples in DIR (per class too)")
    _progress_option(p, "over the test digits, scenes or real samples")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("adapt", help="fine-tune the model on your corrected samples",
                       description="Fine-tune the model on your corrected samples mixed with MNIST "
                       "replay. The result is kept only if it reads your samples better, each judged "
                       "by a run that did not train on it (4-fold cross-validation), and loses at most "
                       "0.3 points on the MNIST test set. Exit status 0 "
                       "when kept, 1 when not kept or on error.")
    p.add_argument("--samples", metavar="DIR", help="sample folder (default: your user data folder)")
    p.add_argument("--out", metavar="PATH",
                   help="adapted model (.keras; default: models/adapted.keras in your user data folder)")
    p.add_argument("--model", help="model to start from (.keras); default: the shipped model")
    p.add_argument("--data", help="folder with the four MNIST .gz files")
    p.add_argument("--epochs", type=_positive, help="fine-tuning epochs (default: AdaptConfig.epochs)")
    p.add_argument("--seed", type=int, default=0, help="seed of the cross-validation folds and of training")
    p.add_argument("--limit", type=_positive, metavar="N",
                   help="judge on the first N MNIST test digits only (quick runs)")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(func=cmd_adapt)

    p = sub.add_parser("export-lite", help="write the model's LiteRT form, the file reading uses",
                       description="Convert a .keras model (default: the shipped one) to LiteRT: "
                       "writes MODEL.tflite and MODEL.lite.json (the SHA-256 of the .keras it came "
                       "from) beside it. train and adapt do this themselves; run it after replacing "
                       "a .keras file by other means.")
    p.add_argument("--model", help="model file (.keras); default: the shipped model")
    p.set_defaults(func=cmd_export_lite)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = argv
    from digit_app.data.mnist import MnistError
    from digit_app.data.real import RealDataError
    from digit_app.model.metadata import ModelError
    from digit_app.samples.index import SampleError

    try:
        return args.func(args)
    except (ModelError, MnistError, RealDataError, SampleError, FileNotFoundError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")


if __name__ == "__main__":
    sys.exit(main())
