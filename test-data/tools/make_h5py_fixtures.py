#!/usr/bin/env python3
"""Writes the h5py-made fixtures in test-data/fixtures/ that Myelin's reader tests load (no Python at test time).

Every file holds the same 12 samples, computed from closed formulas that H5pyFixturesTest recomputes in Java:
  sample i has n_i = (7 * i) % 11 spikes (sample 0 has none),
  spike k: time = (3 * i + 5 * k) / 1024 s (exact in float16), unit = (31 * i + 17 * k) % 250,
  label = i % 3, speaker = i % 4 + 1, keys = [b"zero", b"one", "fünf" as UTF-8 bytes].
Only the storage types differ between files. Run: python3 test-data/tools/make_h5py_fixtures.py (h5py >= 3).
"""
import os
import sys

import h5py
import numpy as np

N = 12
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


def samples():
    for i in range(N):
        n = (7 * i) % 11
        yield ([(3 * i + 5 * k) / 1024.0 for k in range(n)], [(31 * i + 17 * k) % 250 for k in range(n)])


def write(name, times_dtype, units_dtype, labels_dtype, speaker_dtype, keys="bytes", libver="earliest"):
    path = os.path.join(OUT, name)
    with h5py.File(path, "w", libver=libver) as f:
        t = f.create_dataset("spikes/times", (N,), dtype=h5py.vlen_dtype(np.dtype(times_dtype)))
        u = f.create_dataset("spikes/units", (N,), dtype=h5py.vlen_dtype(np.dtype(units_dtype)))
        for i, (ti, ui) in enumerate(samples()):
            t[i] = np.array(ti, dtype=times_dtype)
            u[i] = np.array(ui, dtype=units_dtype)
        f.create_dataset("labels", data=np.array([i % 3 for i in range(N)], dtype=labels_dtype))
        f.create_dataset("extra/speaker", data=np.array([i % 4 + 1 for i in range(N)], dtype=speaker_dtype))
        names = ["zero", "one", "fünf"]
        if keys == "bytes":
            f.create_dataset("extra/keys", data=np.array([s.encode("utf-8") for s in names]))
        else:
            f.create_dataset("extra/keys", data=names, dtype=h5py.string_dtype("utf-8"))
        f.create_dataset("extra/meta_info/gender", data=np.zeros(4, dtype="uint8"))
    print("wrote", os.path.relpath(path), os.path.getsize(path), "bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    # exactly SHD's storage
    write("h5py_shd.h5", "float16", "uint16", "uint16", "uint16")
    write("h5py_int32_float32.h5", "float32", "int32", "int32", "int32")
    write("h5py_int64.h5", "float16", "int64", "int64", "int64")
    write("h5py_uint8_float64.h5", "float64", "uint8", "uint8", "uint8")
    # HDF5 1.8+ structures (v2/v3 superblock, v2 object headers) and variable-length UTF-8 class names
    write("h5py_latest_vlenkeys.h5", "float16", "uint16", "uint16", "uint16", keys="vlen", libver="latest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
