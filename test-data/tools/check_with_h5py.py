#!/usr/bin/env python3
"""Dev-time check that the files Myelin writes (its own HDF5 writer) are read by h5py/libhdf5 with SHD's layout.

Usage: python3 test-data/tools/check_with_h5py.py FILE.h5 [FILE.h5 ...] [--source ORIGINAL.h5]
For each file: opens it with h5py, checks dtypes (vlen float16 times, vlen uint16 units, uint16 labels and
speaker, byte-string keys), per-sample lengths, ascending times and unit range. With --source (for files written
by `myelin data subset`), every sample must equal, bit for bit, a sample of the source file with the same label.
Not used by the Java build.
"""
import sys

import h5py
import numpy as np


def check(path, source=None):
    with h5py.File(path, "r") as f:
        t, u, y = f["spikes/times"], f["spikes/units"], f["labels"]
        assert h5py.check_dtype(vlen=t.dtype) == np.float16, t.dtype
        assert h5py.check_dtype(vlen=u.dtype) == np.uint16, u.dtype
        assert y.dtype == np.uint16 and f["extra/speaker"].dtype == np.uint16
        keys = f["extra/keys"][:]
        assert keys.dtype.kind == "S", keys.dtype
        n = len(y)
        assert len(t) == n and len(u) == n
        times, units, labels = t[:], u[:], y[:]
        spikes = 0
        for i in range(n):
            assert len(times[i]) == len(units[i]), i
            assert np.all(np.diff(times[i].astype(np.float64)) >= 0), i
            assert np.all(units[i] < 700) and labels[i] < len(keys), i
            spikes += len(times[i])
        print(f"{path}: OK, {n} samples, {spikes} spikes, {len(keys)} classes, keys {keys[:3]}...")
        if source:
            with h5py.File(source, "r") as s:
                st, su, sy = s["spikes/times"][:], s["spikes/units"][:], s["labels"][:]
                index = {}
                for j in range(len(sy)):
                    index.setdefault((int(sy[j]), len(st[j]), st[j].tobytes()), []).append(j)
                for i in range(n):
                    key = (int(labels[i]), len(times[i]), times[i].tobytes())
                    assert key in index, f"sample {i} not found in {source}"
                    assert any(np.array_equal(su[j], units[i]) for j in index[key]), i
                print(f"  every sample equals a sample of {source} bit for bit")


def main(argv):
    source = None
    if "--source" in argv:
        k = argv.index("--source")
        source = argv[k + 1]
        argv = argv[:k] + argv[k + 2:]
    for path in argv:
        check(path, source)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
