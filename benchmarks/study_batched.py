"""Trials per CPU-second: the seeds of a depth as one batched model against a loop over models.

Both paths train the same trials (same initialisations, same batch orders, one torch thread)
in one process, one after the other for each depth, and the script reports CPU time,
trials per CPU-second and how far the batched numbers lie from the loop's.

    python benchmarks/study_batched.py --depths 1,3,6,12 --seeds 5 --epochs 30
"""

from __future__ import annotations

import argparse
import time

from isoparam import family
from isoparam.study import load_data
from isoparam.study.trainer import METRICS, Settings, Trial, one_thread, train, train_batched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="digits")
    parser.add_argument("--params", type=int, default=20_000)
    parser.add_argument("--depths", default="1,3,6,12")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--patience", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()

    data = load_data(args.data)
    fam = family(data.inputs, data.classes, args.params, args.depths)
    settings = Settings(args.epochs, args.patience, args.batch_size)
    print(
        f"{data.describe()}; budget {args.params}, {args.seeds} seeds, lr {args.lr:g}, "
        f"up to {args.epochs} epochs (patience {args.patience}), batch {args.batch_size}, "
        "1 torch thread\n"
    )
    print(
        "| depth | widths | trials | loop CPU s | batched CPU s | loop trials/CPU-s "
        "| batched trials/CPU-s | speed-up | identical | max abs diff test acc "
        "| max abs diff train loss |"
    )
    print("|---:|:---|---:|---:|---:|---:|---:|---:|:---|---:|---:|")
    totals: list[float] = [0.0, 0.0, 0]
    with one_thread():
        # Warm up both paths so that first-call costs land in no row.
        warm = [Trial(fam.architectures[0], args.lr, seed) for seed in range(2)]
        short = Settings(1, 1, args.batch_size)
        train(warm[0], data, short)
        train_batched(warm, data, short)
        for arch in fam.architectures:
            trials = [Trial(arch, args.lr, seed) for seed in range(args.seeds)]
            start = time.process_time()
            loop = [train(trial, data, settings) for trial in trials]
            loop_cpu = time.process_time() - start
            start = time.process_time()
            batched = train_batched(trials, data, settings)
            batched_cpu = time.process_time() - start
            identical = all(
                (a.metrics, a.epochs, a.best_epoch) == (b.metrics, b.epochs, b.best_epoch)
                for a, b in zip(loop, batched, strict=True)
            )
            diff = {
                name: max(
                    abs(a.metrics[name] - b.metrics[name])
                    for a, b in zip(loop, batched, strict=True)
                )
                for name in METRICS
            }
            widths = f"{arch.widths[0]}×{arch.depth}"
            n = len(trials)
            print(
                f"| {arch.depth} | {widths} | {n} | {loop_cpu:.2f} | {batched_cpu:.2f} "
                f"| {n / loop_cpu:.2f} | {n / batched_cpu:.2f} | {loop_cpu / batched_cpu:.2f}x "
                f"| {'yes' if identical else 'no'} | {diff['test_accuracy']:.4f} "
                f"| {diff['train_loss']:.2e} |"
            )
            totals[0] += loop_cpu
            totals[1] += batched_cpu
            totals[2] += n
    loop_cpu, batched_cpu, done = totals
    n = int(done)
    print(
        f"| all | | {n} | {loop_cpu:.2f} | {batched_cpu:.2f} | {n / loop_cpu:.2f} "
        f"| {n / batched_cpu:.2f} | {loop_cpu / batched_cpu:.2f}x | | | |"
    )


if __name__ == "__main__":
    main()
