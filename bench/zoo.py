"""Model zoo benchmark: trains every kgn neural model on its dataset with fixed seeds and prints
one table (model, dataset, metric, value, epochs, seconds/epoch, device) with peers side by side.

Peers computed in the same run: SVC, kNN and MLP (scikit-learn) on the same digits split;
a bag-of-words logistic regression on the order task; PCA with the same code size for the
autoencoders; real-vs-real and uniform-noise Fréchet distances for the generators.

    .venv/bin/python bench/zoo.py [--device auto|cpu|cuda] [--epochs-scale 1.0] [--mnist-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch


def row(rows, model, dataset, metric, value, epochs="", spe="", device="", peer=""):
    rows.append((model, dataset, metric, value, epochs, spe, device, peer))
    v = f"{value:.4f}" if isinstance(value, float) else str(value)
    s = f"{spe:.3f}" if isinstance(spe, float) else str(spe)
    print(f"{model:<22} {dataset:<8} {metric:<18} {v:>10} {str(epochs):>6} {s:>9} {device:<5} {peer}", flush=True)


def spe(history) -> float:
    return float(np.mean([h["train_seconds"] for h in history])) if history else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="auto")
    ap.add_argument("--epochs-scale", type=float, default=1.0, help="multiply every epoch count (quick runs)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cnn-seeds", type=int, default=3, help="also train the digits cnn with this many seeds (mean, min, max)")
    ap.add_argument("--mnist-dir", default="../shared/data/mnist", help="IDX files for an extra cnn/mnist row")
    # One thread by default: on small shared machines two spinning intra-op threads are often
    # an order of magnitude slower than one (measured on the 2-core project machines).
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (0: torch's default)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    from sklearn.decomposition import PCA
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import SVC

    from neural.data import load_dataset
    from neural.data.baseline import bag_of_words_accuracy
    from neural.device import resolve_device
    from neural.runs import FD_SAMPLES, generative_fd, train
    from neural.trainer import TrainerConfig

    device = str(resolve_device(args.device))
    ep = lambda n: max(1, int(round(n * args.epochs_scale)))  # noqa: E731
    cfg = lambda n, **kw: TrainerConfig(epochs=ep(n), device=args.device, seed=args.seed, **kw)  # noqa: E731
    rows: list = []
    t_start = time.time()
    print(f"{'model':<22} {'dataset':<8} {'metric':<18} {'value':>10} {'epochs':>6} {'s/epoch':>9} {'dev':<5} peer / ratio")
    print("-" * 110)

    # --- digits classifiers -------------------------------------------------------------
    digits = load_dataset("digits")
    cnn = train("cnn", digits, trainer_config=cfg(60))
    acc = cnn.test["accuracy"]
    xtr = torch.cat([digits.train.tensors[0], digits.val.tensors[0]]).flatten(1).numpy()
    ytr = torch.cat([digits.train.tensors[1], digits.val.tensors[1]]).numpy()
    xte, yte = digits.test.tensors[0].flatten(1).numpy(), digits.test.tensors[1].numpy()
    peers = {}
    for name, clf in (("SVC", SVC()), ("kNN(k=3)", KNeighborsClassifier(3)),
                      ("MLP(100)", MLPClassifier((100,), max_iter=2000, random_state=args.seed))):
        peers[name] = float((clf.fit(xtr, ytr).predict(xte) == yte).mean())
    row(rows, "cnn", "digits", "test_accuracy", acc, len(cnn.history), spe(cnn.history), device,
        "  ".join(f"{k} {v:.4f} (cnn/{k} {acc / v:.3f})" for k, v in peers.items()))
    row(rows, "cnn", "digits", "test_macro_f1", cnn.test["macro_f1"], len(cnn.history), spe(cnn.history), device)
    for name, v in peers.items():
        row(rows, f"  peer {name}", "digits", "test_accuracy", v, "-", "-", "cpu")
    if args.cnn_seeds > 1:  # seed-to-seed spread: one test error is 1/360 = 0.0028
        accs = [acc] + [train("cnn", digits, trainer_config=TrainerConfig(epochs=ep(60), device=args.device, seed=s)).test["accuracy"]
                        for s in range(args.seed + 1, args.seed + args.cnn_seeds)]
        row(rows, f"cnn x{len(accs)} seeds", "digits", "test_accuracy_mean", float(np.mean(accs)), ep(60), "-", device,
            "each: " + " ".join(f"{a:.4f}" for a in accs) + f"  (mean/SVC {np.mean(accs) / peers['SVC']:.3f})")
    print(f"  (cnn trained on {len(digits.train)} images, early-stopping split {len(digits.val)}; "
          f"peers on all {len(xtr)}; test {len(xte)}; target >= 0.99)")

    # --- order-dependent sequence task -------------------------------------------------
    order = load_dataset("order")
    bow_acc = bag_of_words_accuracy(order, seed=args.seed)
    row(rows, "bag-of-words logreg", "order", "test_accuracy", bow_acc, "-", "-", "cpu", "(logreg on token counts, train+val; chance 0.5)")
    for label, name, mcfg, n in (("text_cnn", "text_cnn", {}, 20), ("rnn lstm", "rnn", {"cell": "lstm"}, 20),
                                 ("rnn bi-gru", "rnn", {"cell": "gru", "bidirectional": True}, 20),
                                 ("attention", "attention", {}, 20)):
        r = train(name, order, trainer_config=cfg(n), model_config=mcfg)
        a = r.test["accuracy"]
        row(rows, label, "order", "test_accuracy", a, len(r.history), spe(r.history), device,
            f"bow {bow_acc:.4f} (ratio {a / bow_acc:.3f})")

    # --- autoencoders vs PCA with the same code size --------------------------------------
    xtr_img = digits.train.tensors[0].flatten(1).numpy()
    for name in ("autoencoder", "conv_autoencoder"):
        r = train(name, digits, trainer_config=cfg(100))
        code = r.model.config.code
        pca = PCA(code, random_state=args.seed).fit(xtr_img)
        pca_mse = float(((pca.inverse_transform(pca.transform(xte)) - xte) ** 2).mean())
        m = r.test["recon_mse"]
        row(rows, name, "digits", f"test_mse(code={code})", m, len(r.history), spe(r.history), device,
            f"PCA({code}) {pca_mse:.4f} (ae/pca {m / pca_mse:.3f}, lower is better)")

    # --- generators: Fréchet distance in the cnn's feature space ----------------------------
    classifier = cnn.model
    vae = train("vae", digits, trainer_config=cfg(100))
    row(rows, "vae", "digits", "test_neg_elbo_nats", vae.test["neg_elbo"], len(vae.history), spe(vae.history), device,
        f"recon_nll {vae.test['recon_nll']:.2f} + kl {vae.test['kl']:.2f}")
    torch.manual_seed(args.seed)
    fd_v = generative_fd(vae.model, classifier, digits, FD_SAMPLES, args.seed)
    gan = train("gan", digits, trainer_config=cfg(150))
    torch.manual_seed(args.seed)
    fd_g = generative_fd(gan.model, classifier, digits, FD_SAMPLES, args.seed)
    for label, r, fd in (("vae", vae, fd_v), ("gan", gan, fd_g)):
        row(rows, label, "digits", f"fd(n={int(fd['fd_n'])})", fd["fd"], len(r.history), spe(r.history), device,
            f"real-vs-real {fd['fd_real_vs_real']:.3f}  noise {fd['fd_noise']:.3f}  (lower is better)")

    # --- optional: MNIST from local IDX files -----------------------------------------------
    if os.path.isdir(args.mnist_dir):
        r = train("cnn", "mnist", data_dir=args.mnist_dir, trainer_config=cfg(5))
        row(rows, "cnn", "mnist", "test_accuracy", r.test["accuracy"], len(r.history), spe(r.history), device)
    else:
        print(f"(no cnn/mnist row: no IDX files at {args.mnist_dir})")
    print("-" * 110)
    print(f"total {time.time() - t_start:.0f}s on {device}, torch {torch.__version__}, {torch.get_num_threads()} threads")


if __name__ == "__main__":
    main()
