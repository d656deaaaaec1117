#!/usr/bin/env python3
"""Checks that a .nir file loads the way the reference library's `nir.read` (nir 1.0.x) loads it.

The `nir` package is not installable on this machine (no PyPI), so this replicates what `nir.read` does with h5py,
step for step: `hdf2dict` of `/node` (every dataset read with `[()]`, bytes decoded as UTF-8), then `dict2NIRNode`
(the type must be one NIR knows; every dataset becomes a keyword argument of that class's constructor, so an
unknown one is a TypeError and a missing required one too; neuron parameters must share one shape, Affine/Linear
weights be at least 2-D), then the type check `NIRGraph.check_types()` (each edge's source output type must equal
its target input type, `np.array_equal`, and be defined). It also checks `/version` is a UTF-8 string.

Usage: nir_read_check.py FILE.nir   -> prints one JSON line {"ok": true, ...} or {"ok": false, "error": ...};
exit code 0 / 1.
"""
import json
import sys

import h5py
import numpy as np

# constructor arguments per type: (required, optional); every class also takes `metadata`
KWARGS = {
    "Input": ({"shape"}, set()),
    "Output": ({"shape"}, set()),
    "Affine": ({"weight", "bias"}, set()),
    "Linear": ({"weight"}, set()),
    "Scale": ({"scale"}, set()),
    "Threshold": ({"threshold"}, set()),
    "Delay": ({"delay"}, set()),
    "Conv1d": ({"input_shape", "weight", "stride", "padding", "dilation", "groups", "bias"}, set()),
    "Conv2d": ({"input_shape", "weight", "stride", "padding", "dilation", "groups", "bias"}, set()),
    "SumPool2d": ({"kernel_size", "stride", "padding"}, set()),
    "AvgPool2d": ({"kernel_size", "stride", "padding"}, set()),
    "Flatten": (set(), {"input_type", "start_dim", "end_dim"}),
    "I": ({"r"}, set()),
    "IF": ({"r", "v_threshold"}, {"v_reset"}),
    "LI": ({"tau", "r", "v_leak"}, set()),
    "LIF": ({"tau", "r", "v_leak", "v_threshold"}, {"v_reset"}),
    "CubaLI": ({"tau_syn", "tau_mem", "r", "v_leak"}, {"w_in"}),
    "CubaLIF": ({"tau_syn", "tau_mem", "r", "v_leak", "v_threshold"}, {"v_reset", "w_in"}),
    "NIRGraph": ({"nodes", "edges"}, set()),
}
NEURON_PARAMS = {"I": ["r"], "IF": ["r", "v_threshold", "v_reset"], "LI": ["tau", "r", "v_leak"],
                 "LIF": ["tau", "r", "v_leak", "v_threshold", "v_reset"],
                 "CubaLI": ["tau_syn", "tau_mem", "r", "v_leak"],
                 "CubaLIF": ["tau_syn", "tau_mem", "r", "v_leak", "v_reset", "v_threshold"]}


def try_byte_to_str(a):
    return a.decode("utf8") if isinstance(a, bytes) else a


def hdf2dict(node):
    ret = {}
    for key, item in node.items():
        if isinstance(item, h5py.Group):
            ret[key] = hdf2dict(item)
        else:
            ret[key] = try_byte_to_str(item[()])
    return ret


def conv_out(shape, pad, dil, k, stride):
    shape = np.atleast_1d(shape)
    out = []
    for i in range(len(shape)):
        p = 0 if pad == "valid" else (None if pad == "same" else np.atleast_1d(pad)[min(i, np.size(pad) - 1)])
        if p is None:
            out.append(int(shape[i]))
            continue
        d = np.atleast_1d(dil)[min(i, np.size(dil) - 1)]
        s = np.atleast_1d(stride)[min(i, np.size(stride) - 1)]
        out.append(int(np.floor((shape[i] + 2 * p - d * (np.atleast_1d(k)[i] - 1) - 1) / s + 1)))
    return np.array(out)


def node_types(t, d, where):
    """(input_type, output_type) as the nir classes compute them in __post_init__."""
    if t in ("Input", "Output"):
        s = np.asarray(d["shape"])
        return s, s
    if t in ("Affine", "Linear"):
        w = np.asarray(d["weight"])
        if w.ndim < 2:
            raise ValueError(f"{where}: Weight must be at least 2D")
        return np.array(w.shape[:-2] + (w.shape[-1],)), np.array(w.shape[:-2] + (w.shape[-2],))
    if t in ("Scale", "Threshold", "Delay"):
        s = np.array(np.asarray(d[{"Scale": "scale", "Threshold": "threshold", "Delay": "delay"}[t]]).shape)
        return s, s
    if t in NEURON_PARAMS:
        shapes = {np.asarray(d[p]).shape for p in NEURON_PARAMS[t] if p in d}
        if len(shapes) != 1:
            raise AssertionError(f"{where}: All parameters must have the same shape, found {shapes}")
        s = np.array(shapes.pop())
        return s, s
    if t in ("Conv1d", "Conv2d"):
        if d["input_shape"] is None:
            return None, None
        w = np.asarray(d["weight"])
        ins = np.atleast_1d(d["input_shape"])
        return (np.array([w.shape[1], *ins]),
                np.array([w.shape[0], *conv_out(ins, d["padding"], d["dilation"], w.shape[2:], d["stride"])]))
    if t == "Flatten":
        it = d.get("input_type")
        if it is None:
            return None, None
        it = np.asarray(it)
        s, e = int(d.get("start_dim", 1)), int(d.get("end_dim", -1))
        e = e if e >= 0 else len(it) + e
        return it, np.array([*it[:s], int(np.prod(it[s:e + 1])), *it[e + 1:]])
    return None, None  # pooling: nir leaves the types undefined


def load(d, where):
    t = d.get("type")
    if t not in KWARGS:
        raise AssertionError(f"{where}: unknown type {t!r}")
    req, opt = KWARGS[t]
    keys = set(d) - {"type", "metadata"}
    extra = keys - req - opt
    if extra:
        raise TypeError(f"{where}: {t}.__init__() got unexpected keyword argument(s) {sorted(extra)}")
    missing = req - keys
    if missing:
        raise TypeError(f"{where}: {t}.__init__() missing required argument(s) {sorted(missing)}")
    if "metadata" in d and not isinstance(d["metadata"], dict):
        raise TypeError(f"{where}: metadata must be a group")
    if t != "NIRGraph":
        return t, node_types(t, d, where)
    nodes = {k: load(v, f"{where}/{k}") for k, v in d["nodes"].items()}
    edges = [(try_byte_to_str(a), try_byte_to_str(b)) for a, b in d["edges"]]
    for a, b in edges:
        for x in (a, b):
            if x not in nodes:
                raise KeyError(f"{where}: edge ({a}, {b}) names unknown node {x!r}")
        pre, post = nodes[a], nodes[b]
        pre_out, post_in = pre[1][1], post[1][0]
        if pre_out is None:
            raise ValueError(f"pre node {a} has no output type")
        if post_in is None:
            raise ValueError(f"post node {b} has no input type")
        if not np.array_equal(post_in, pre_out):
            raise ValueError(f"type mismatch: {a}.output: {pre_out} -> {b}.input: {post_in}")
    ins = [v for v in nodes.values() if v[0] == "Input"]
    outs = [v for v in nodes.values() if v[0] == "Output"]
    return "NIRGraph", (ins[0][1][0] if len(ins) == 1 else None, outs[0][1][1] if len(outs) == 1 else None)


def main(path):
    with h5py.File(path, "r") as f:
        v = f["version"]
        if v.dtype.kind != "O" or h5py.check_string_dtype(v.dtype) is None:
            raise TypeError(f"/version is {v.dtype}, not a string")
        version = v[()].decode("utf8")
        data = hdf2dict(f["node"])
    if "type_check" in data:
        raise ValueError("'type_check' key found in the graph")
    load(data, "node")
    types = sorted({n["type"] for n in data["nodes"].values()})
    meta = {k: (v.tolist() if isinstance(v, np.ndarray) else (v.item() if hasattr(v, "item") else v))
            for k, v in data.get("metadata", {}).items()}
    return {"ok": True, "version": version, "nodes": len(data["nodes"]), "edges": len(data["edges"]),
            "types": types, "metadata": meta}


if __name__ == "__main__":
    try:
        print(json.dumps(main(sys.argv[1])))
    except Exception as e:  # noqa: BLE001 - report any failure as one line
        print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
        sys.exit(1)
