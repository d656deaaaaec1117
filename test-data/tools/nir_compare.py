#!/usr/bin/env python3
"""Compares two .nir files as nir.read sees them (hdf2dict of /node): same keys, same values, same float widths.

Usage: nir_compare.py A.nir B.nir -> one JSON line {"ok": true, "datasets": N} or {"ok": false, "error": ...}.
Edges are compared as lists of (source, target) strings; datasets must hold equal values (exact) and, for floats,
the same width; strings equal after decoding. What nir itself fills in on reading counts as equal: B may add
`v_reset` (zeros) and `w_in` (ones) that A omits, and an integer parameter may be a scalar in one file and the
same value per dimension in the other.
"""
import json
import sys

import h5py
import numpy as np


def walk(g, prefix, out):
    for k, v in g.items():
        p = prefix + "/" + k
        if isinstance(v, h5py.Group):
            walk(v, p, out)
        else:
            out[p] = v


def norm(x):
    if isinstance(x, bytes):
        return x.decode()
    if isinstance(x, np.ndarray) and x.dtype.kind in "OS":
        return [norm(e) for e in x.tolist()]
    if isinstance(x, (list, tuple)):
        return [norm(e) for e in x]
    return x


def main(a, b):
    da, db = {}, {}
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        walk(fa["node"], "", da)
        walk(fb["node"], "", db)
        defaults = {"v_reset": 0.0, "w_in": 1.0}
        for k in set(db) - set(da):
            leaf = k.rsplit("/", 1)[1]
            if leaf in defaults and np.all(db[k][()] == defaults[leaf]):
                del db[k]
        if set(da) != set(db):
            raise AssertionError(f"datasets differ: only in A {sorted(set(da) - set(db))}, only in B {sorted(set(db) - set(da))}")
        for k in da:
            x, y = da[k][()], db[k][()]
            if da[k].dtype.kind == "f" or db[k].dtype.kind == "f":
                if da[k].dtype != db[k].dtype:
                    raise AssertionError(f"{k}: {da[k].dtype} vs {db[k].dtype}")
                if not np.array_equal(x, y):
                    raise AssertionError(f"{k}: values differ")
            elif da[k].dtype.kind in "iu" or db[k].dtype.kind in "iu":
                ax, ay = np.broadcast_arrays(np.atleast_1d(x), np.atleast_1d(y))
                if not np.array_equal(ax, ay):
                    raise AssertionError(f"{k}: {x} vs {y}")
            elif norm(x) != norm(y):
                raise AssertionError(f"{k}: {norm(x)!r} vs {norm(y)!r}")
    return {"ok": True, "datasets": len(da)}


if __name__ == "__main__":
    try:
        print(json.dumps(main(sys.argv[1], sys.argv[2])))
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
        sys.exit(1)
