"""`kgn train`, `kgn evaluate`, `kgn sample`: the neural models from the command line.

torch is imported inside the commands so that `kgn --help` stays fast.
"""

from __future__ import annotations

import json

import click

# Which dataset a model trains on when --dataset is not given (by the model's input kind).
DEFAULT_DATASET = {"image": "digits", "tokens": "order"}


def _fmt(value) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


@click.command("train")
@click.argument("model")
@click.option("--dataset", default=None, help="digits, mnist, fashion-mnist, order or jsonl (default: digits for image models, order for sequence models).")
@click.option("--data-dir", default=None, help="Folder (or .jsonl file) with the dataset's local files.")
@click.option("--epochs", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(min=1))
@click.option("--lr", default=None, type=click.FloatRange(min=0), help="Learning rate (default: the model's own).")
@click.option("--weight-decay", default=0.0, show_default=True, type=click.FloatRange(min=0))
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda, cuda:N or mps.")
@click.option("--no-amp", is_flag=True, help="Turn off mixed precision (used on CUDA only).")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--patience", default=None, type=click.IntRange(min=1), help="Stop after this many epochs without validation improvement.")
@click.option("--grad-clip", default=1.0, show_default=True, type=click.FloatRange(min=0), help="Max gradient norm; 0 turns clipping off.")
@click.option("--out", "out_dir", default=None, help="Run folder for checkpoints and metrics (default: runs/MODEL-DATASET).")
@click.option("--resume", default=None, help="Checkpoint to continue training from.")
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE", help="Model setting, e.g. --set cell=gru (repeatable).")
@click.option("--quiet", is_flag=True, help="Print only the final scores.")
def train_cmd(model, dataset, data_dir, epochs, batch_size, lr, weight_decay, device, no_amp, seed, patience,
              grad_clip, out_dir, resume, settings, quiet):
    """Train MODEL (cnn, text_cnn, rnn, autoencoder, conv_autoencoder, vae, gan, attention).

    Ranges are checked here, before torch loads, so a wrong value fails at once (the settings
    dataclasses check them again for Python callers).
    """
    from neural.models import model_class
    from neural.models.base import parse_settings
    from neural.runs import train
    from neural.trainer import Callback, TrainerConfig

    cls = model_class(model)
    dataset = dataset or DEFAULT_DATASET[cls.input_kind]
    out_dir = out_dir or f"runs/{model}-{dataset}"
    tcfg = TrainerConfig(
        epochs=epochs, batch_size=batch_size, lr=lr, weight_decay=weight_decay, device=device, amp=not no_amp,
        seed=seed, grad_clip=grad_clip or None, patience=patience, out_dir=out_dir, resume=resume,
    )

    class Echo(Callback):
        def on_train_start(self, trainer):
            if not quiet:
                click.echo(f"training {model} on {dataset} ({trainer.device}), {epochs} epochs -> {out_dir}")

        def on_epoch_end(self, trainer, metrics):
            if not quiet:
                keys = [k for k in metrics if k.endswith("loss") or k.endswith("accuracy") or k.endswith("elbo") or k.endswith("mse")]
                shown = "  ".join(f"{k}={_fmt(metrics[k])}" for k in keys)
                click.echo(f"epoch {metrics['epoch']:>3}  {shown}  ({metrics['seconds']:.1f}s)")

    result = train(model, dataset, trainer_config=tcfg, model_config=parse_settings(settings), data_dir=data_dir,
                   callbacks=[Echo()])
    best = result.trainer.best
    if best["metric"] and best["value"] is not None:
        click.echo(f"best {best['metric']}={_fmt(best['value'])} at epoch {best['epoch']}")
    for key, value in result.test.items():
        if key != "confusion_matrix":
            click.echo(f"test {key}: {_fmt(value)}")
    click.echo(f"checkpoint: {result.checkpoint}")


@click.command("evaluate")
@click.argument("checkpoint", type=click.Path(dir_okay=False))
@click.option("--data-dir", default=None, help="Where the dataset's files are now (default: where they were at training).")
@click.option("--device", default="auto", show_default=True)
@click.option("--features", default=None, type=click.Path(dir_okay=False),
              help="A trained cnn checkpoint: adds Fréchet distances for vae/gan checkpoints.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def evaluate_cmd(checkpoint, data_dir, device, features, as_json):
    """Score CHECKPOINT on its dataset's test split."""
    from neural.runs import evaluate

    report = evaluate(checkpoint, data_dir=data_dir, device=device, features=features)
    if as_json:
        click.echo(json.dumps(report))
        return
    for key, value in report.items():
        if key == "confusion_matrix":
            click.echo("confusion_matrix (rows: true, columns: predicted):")
            for row in value:
                click.echo("  " + " ".join(f"{v:>4}" for v in row))
        else:
            click.echo(f"{key}: {_fmt(value)}")


@click.command("sample")
@click.argument("kind", type=click.Choice(["vae", "gan"]))
@click.argument("checkpoint", type=click.Path(dir_okay=False))
@click.option("--n", default=64, show_default=True, type=click.IntRange(min=1), help="Number of images.")
@click.option("--out", default="grid.png", show_default=True, help="PNG file to write.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--device", default="auto", show_default=True)
@click.option("--interpolate", is_flag=True, help="VAE only: rows of latent interpolations between test images.")
def sample_cmd(kind, checkpoint, n, out, seed, device, interpolate):
    """Draw samples from a vae or gan CHECKPOINT into a PNG grid."""
    from neural.runs import sample_grid

    path = sample_grid(checkpoint, out, n=n, seed=seed, device=device, kind=kind, interpolate=interpolate)
    click.echo(f"wrote {path}")


class TrainGroup(click.Group):
    """`kgn train MODEL ...` trains a classic model; `kgn train relation ...` a relation classifier.

    Any first word that is not a subcommand is a MODEL name for the classic command, so every
    `kgn train cnn ...` invocation keeps working.
    """

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return train_cmd.name, train_cmd, args
        return super().resolve_command(ctx, args)


@click.group("train", cls=TrainGroup)
def train_group():
    """Train a model: `kgn train MODEL [options]` (cnn, text_cnn, rnn, autoencoder,
    conv_autoencoder, vae, gan, attention; see `kgn train cnn --help`) or
    `kgn train relation --data D --model M` (relation classifiers) or
    `kgn train ner --data D --out DIR` (spaCy's entity recognizer on your entity types)."""


@click.command("relation")
@click.option("--data", required=True, metavar="semeval|conll04|redocred|PATH",
              help="A named data set or a JSONL file/folder of labelled sentences (see README).")
@click.option("--data-path", default=None, help="Where the named data set's files are (default: ../shared/data/NAME).")
@click.option("--model", "model_name", default="pcnn", show_default=True, help="cnn, pcnn, att-bilstm or transformer.")
@click.option("--epochs", default=10, show_default=True, type=int)
@click.option("--batch-size", default=50, show_default=True, type=int)
@click.option("--lr", default=None, type=float, help="Learning rate (default 1e-3).")
@click.option("--weight-decay", default=0.0, show_default=True, type=float)
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda, cuda:N or mps.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--patience", default=None, type=int, help="Stop after this many epochs without val macro-F1 gain.")
@click.option("--max-len", default=96, show_default=True, type=int, help="Tokens kept around the two entities.")
@click.option("--spacy-vectors", is_flag=True,
              help="Add spaCy's own 96-d token vectors (doc.tensor of the extractor's model) to every token.")
@click.option("--tags", default="", metavar="pos,dep,ner,sdp",
              help="spaCy parse tags as inputs: POS, dependency label, NER label, on the shortest dependency path.")
@click.option("--word-vectors", default=None, metavar="SPACY_MODEL",
              help="Start the word embeddings from an installed spaCy model's static vectors (e.g. en_core_web_md).")
@click.option("--threads", default=None, type=int, help="torch CPU threads (1 is often fastest on busy small machines).")
@click.option("--out", "out_dir", default=None, help="Run folder (default: runs/relation-MODEL-DATA).")
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE", help="Model setting, e.g. --set filters=100.")
@click.option("--quiet", is_flag=True, help="Print only the final scores.")
def train_relation_cmd(data, data_path, model_name, epochs, batch_size, lr, weight_decay, device, seed, patience,
                       max_len, spacy_vectors, tags, word_vectors, threads, out_dir, settings, quiet):
    """Train a relation classifier on sentences with two marked entities; the checkpoint drives
    `kgn extract --relations neural:CHECKPOINT`."""
    from pathlib import Path

    import torch

    from neural.models.base import parse_settings
    from neural.relation.data import Encoding
    from neural.relation.models import relation_model_class
    from neural.relation.train import train_relation
    from neural.trainer import Callback, TrainerConfig

    relation_model_class(model_name)  # unknown names fail before the data is read
    if threads:
        torch.set_num_threads(threads)
    tag = Path(data).stem if Path(data).exists() else data
    out_dir = out_dir or f"runs/relation-{model_name}-{tag}"
    tcfg = TrainerConfig(epochs=epochs, batch_size=batch_size, lr=lr, weight_decay=weight_decay, device=device,
                         seed=seed, patience=patience, out_dir=out_dir)

    class Echo(Callback):
        def on_train_start(self, trainer):
            if not quiet:
                click.echo(f"training relation {model_name} on {data} ({trainer.device}), {epochs} epochs -> {out_dir}")

        def on_epoch_end(self, trainer, m):
            if not quiet:
                keys = ("train_loss", "val_loss", "val_accuracy", "val_macro_f1")
                shown = "  ".join(f"{k}={_fmt(m[k])}" for k in keys if k in m)
                click.echo(f"epoch {m['epoch']:>3}  {shown}  ({m['seconds']:.1f}s)")

    encoding = Encoding(max_len=max_len, spacy_vectors=spacy_vectors,
                        tags=tuple(t.strip() for t in tags.split(",") if t.strip()))
    uses_spacy = spacy_vectors or encoding.tags
    run = train_relation(model_name, data, data_path=data_path, trainer_config=tcfg,
                         model_config=parse_settings(settings), encoding=encoding,
                         callbacks=[Echo()], feature_cache=Path(out_dir) / "spacy-vectors" if uses_spacy else None,
                         word_vectors=word_vectors)
    s = run.splits
    click.echo(f"examples: train {len(s.train)}, val {len(s.val)}, test {len(s.test)}; labels {len(run.model.label_names)}; "
               f"training {run.seconds:.1f}s")
    if run.test is not None:
        for key, value in run.test.as_dict().items():
            click.echo(f"test {key}: {_fmt(value)}")
    click.echo(f"checkpoint: {run.checkpoint}")
    click.echo(f"use it: kgn extract --relations neural:{run.checkpoint} DOCS")


@click.command("ner")
@click.option("--data", required=True, metavar="conll04|PATH",
              help="conll04 (its train file) or a JSONL file of annotated texts (see README).")
@click.option("--dev", "dev_path", default=None, metavar="PATH",
              help="JSONL dev examples for early stopping (default: every 10th training example, held out).")
@click.option("--data-path", default=None, help="Where conll04's files are (default: ../shared/data/conll04).")
@click.option("--from", "base", default=None, metavar="NAME|DIR",
              help="spaCy model (package or folder) to start from (default: en_core_web_sm).")
@click.option("--epochs", default=30, show_default=True, type=click.IntRange(min=1))
@click.option("--patience", default=4, show_default=True, type=click.IntRange(min=1),
              help="Stop after this many epochs without a better dev entity F1.")
@click.option("--lr", default=0.001, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Learning rate (a few hundred examples or fewer may want more).")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--out", "out_dir", required=True, help="Folder to save the trained spaCy pipeline to.")
@click.option("--label-roles", "label_roles", default=None, metavar="LABEL=ROLE[,...]",
              help="What your labels are to kgn's extractor, e.g. Peop=person,Loc=place,Org=organisation "
                   "(saved with the pipeline; conll04's are known).")
@click.option("--quiet", is_flag=True, help="Print only the result.")
def train_ner_cmd(data, dev_path, data_path, base, epochs, patience, lr, seed, out_dir, label_roles, quiet):
    """Train spaCy's entity recognizer on your annotated entities; `kgn extract --spacy-model OUT`
    then extracts with it."""
    from pathlib import Path

    from kg.extract.ner_training import NerTrainSettings, read_ner_jsonl, train_ner
    from kg.extract.roles import LabelRoles, parse_label_roles

    roles = parse_label_roles(label_roles) if label_roles else ()
    LabelRoles(roles)  # an unknown role fails here, before the data is read
    if data == "conll04":
        from kg.eval.conll04 import ENTITY_ROLES, ner_examples, read_conll04
        from neural.relation.readers import DATA_ROOT

        path = Path(data_path) if data_path else DATA_ROOT / "conll04"
        train = ner_examples(read_conll04(str(path / "train.CoNLL04.json")), "train.CoNLL04.json")
        roles = LabelRoles.of(dict(roles), base=LabelRoles(ENTITY_ROLES)).pairs  # yours, then conll04's
    else:
        train = read_ner_jsonl(data)
    dev = read_ner_jsonl(dev_path) if dev_path else None
    res = train_ner(train, dev, NerTrainSettings(base=base, max_epochs=epochs, patience=patience,
                                                        learn_rate=lr, seed=seed, label_roles=roles),
                    out_dir=out_dir, log=None if quiet else click.echo)
    click.echo(f"labels {', '.join(res.labels)}; train {res.n_train}, dev {res.n_dev} examples; best epoch "
               f"{res.best_epoch}: dev P {100 * res.dev.precision:.1f} R {100 * res.dev.recall:.1f} "
               f"F1 {100 * res.dev.f1:.1f} ({res.seconds:.0f} s)")
    known = [f"{label}={res.roles.role(label)}" for label in res.labels if res.roles.role(label)]
    unknown = [label for label in res.labels if not res.roles.role(label)]
    click.echo(f"label roles: {', '.join(known) or '(none)'}" + (
        f"; no role (only a label to the extractor): {', '.join(unknown)}" if unknown else ""))
    click.echo(f"saved: {res.path}")
    click.echo(f"use it: kgn extract --spacy-model {res.path} DOCS")


train_cmd.hidden = True  # reached as `kgn train MODEL` (TrainGroup.resolve_command), not `kgn train train`
train_group.add_command(train_cmd)
train_group.add_command(train_relation_cmd)
train_group.add_command(train_ner_cmd)


def register(group: click.Group) -> None:
    """Add this module's commands to the `kgn` group."""
    group.add_command(train_group)
    group.add_command(evaluate_cmd)
    group.add_command(sample_cmd)
