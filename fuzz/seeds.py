#!/usr/bin/env python3
"""Seeds for the `extract` fuzz target: whole reports cut into line-aligned windows.

libFuzzer truncates a seed to -max_len, so a whole report seeds only its title and opening
lines and the tables are never reached from a seed. Windows that start at every other stretch
of lines put each table's labels and numbers within reach of short inputs. The first byte of a
seed picks the declared format (`xxgk_core::fuzz::extract`: odd = HTML, even = text).

    fuzz/seeds.py --max-len 1024 --out fuzz/corpus/extract FILE...
"""
import argparse
import hashlib
import pathlib


def windows(data: bytes, size: int):
    """Line-aligned slices of at most `size` bytes, each starting half a window after the last."""
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A and i + 1 < len(data)]
    k = 0
    while k < len(starts):
        begin = starts[k]
        end = begin + size
        piece = data[begin:end]
        yield piece
        if end >= len(data):
            return
        # Next window: the first line start past half of this one (always moves forward).
        half = begin + max(1, len(piece) // 2)
        while k < len(starts) and starts[k] < half:
            k += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-len", type=int, required=True)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("files", nargs="+", type=pathlib.Path)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in args.files:
        fmt = b"\x01" if path.suffix.lower() in (".html", ".htm") else b"\x00"
        for piece in windows(path.read_bytes(), args.max_len - 1):
            seed = fmt + piece
            name = hashlib.sha1(seed).hexdigest()
            target = args.out / name
            if not target.exists():
                target.write_bytes(seed)
                written += 1
    print(f"seeds.py: {written} windows from {len(args.files)} files in {args.out}")


if __name__ == "__main__":
    main()
