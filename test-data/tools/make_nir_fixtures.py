#!/usr/bin/env python3
"""Writes test-data/nir/fixtures/: NIR files in the encodings other writers use, with expected runs.

`encodings/graph.nir` holds every primitive the shared conformance cases do not (Conv1d, Conv2d, SumPool2d,
AvgPool2d, Flatten, Scale, Threshold, I, IF, CubaLI, a nested NIRGraph) stored the ways real files differ:
fixed-length (null- and space-padded) as well as variable-length strings, integer parameters as scalars in one
node and arrays in another, padding as a string, float32 and float64, gzip-chunked and contiguous, a metadata group.
`expected.npz` comes from the plain numpy simulation below (the semantics of ../shared/nir/README.md, forward
Euler, breadth-first order), written independently of Myelin's Java runner.

Run from the repository root: python3 test-data/tools/make_nir_fixtures.py (h5py 3.7, numpy 1.24 as in Debian 12).
"""
import json
import os
from collections import deque

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "nir", "fixtures", "encodings")
rng = np.random.default_rng(7)


def fixed(s, pad="null"):
    """A fixed-length string datatype (null- or space-padded)."""
    t = h5py.h5t.C_S1.copy()
    t.set_size(max(1, len(s)) + (3 if pad == "space" else 1))
    t.set_strpad(h5py.h5t.STR_SPACEPAD if pad == "space" else h5py.h5t.STR_NULLPAD)
    return t


def put_string(g, name, s, how):
    if how == "vlen":
        g.create_dataset(name, data=s, dtype=h5py.string_dtype())
    else:
        t = fixed(s, how)
        sid = h5py.h5s.create(h5py.h5s.SCALAR)
        ds = h5py.h5d.create(g.id, name.encode(), t, sid)
        size = t.get_size()
        raw = s.encode().ljust(size, b" " if how == "space" else b"\0")
        ds.write(h5py.h5s.ALL, h5py.h5s.ALL, np.frombuffer(raw, dtype="S%d" % size).reshape(()), mtype=t)


def arr(g, name, a, gz=False):
    if gz:
        g.create_dataset(name, data=a, compression="gzip", chunks=a.shape if a.ndim else None)
    else:
        g.create_dataset(name, data=a)


# ------------------------------------------------------------------ the graph
C, H, W = 2, 6, 6
nodes = {
    "input": dict(type="Input", shape=np.array([C, H, W])),
    "conv": dict(type="Conv2d", weight=rng.normal(0, 0.6, (3, 2, 3, 3)).astype(np.float32),
                 bias=rng.normal(0, 0.1, 3).astype(np.float32), stride=np.int64(1), padding="same",
                 dilation=np.array([1, 1]), groups=np.int64(1), input_shape=np.array([H, W])),
    "lif": dict(type="LIF", tau=np.full((3, H, W), 0.004), r=np.full((3, H, W), 1.2), v_leak=np.zeros((3, H, W)),
                v_threshold=np.full((3, H, W), 0.8), v_reset=np.zeros((3, H, W))),
    "sum": dict(type="SumPool2d", kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
    "avg": dict(type="AvgPool2d", kernel_size=np.array([3, 3]), stride=np.array([1, 1]), padding=np.array([1, 1])),
    "flat": dict(type="Flatten", start_dim=np.int64(0), end_dim=np.int64(-1), input_type=np.array([3, 3, 3])),
    "scale": dict(type="Scale", scale=rng.uniform(0.5, 2.0, 27)),
    "thr": dict(type="Threshold", threshold=np.full(27, 0.3)),
    "fc": dict(type="Affine", weight=rng.normal(0, 0.5, (8, 27)), bias=rng.normal(0, 0.05, 8)),
    "if": dict(type="IF", r=np.full(8, 150.0), v_threshold=np.full(8, 0.5), v_reset=np.full(8, -0.1)),
    "conv1": dict(type="Conv1d", weight=rng.normal(0, 0.7, (2, 1, 3)), bias=np.zeros(2), stride=np.int64(2),
                  padding=np.int64(1), dilation=np.int64(1), groups=np.int64(1), input_shape=np.int64(8)),
    "flat1": dict(type="Flatten", start_dim=np.int64(0), end_dim=np.int64(-1), input_type=np.array([2, 4])),
    "integ": dict(type="I", r=np.full(8, 20.0)),
    "sub": None,  # nested graph, below
    "output": dict(type="Output", shape=np.array([4])),
}
sub_nodes = {
    "input": dict(type="Input", shape=np.array([8])),
    "lin": dict(type="Linear", weight=rng.normal(0, 0.4, (4, 8))),
    "cuba": dict(type="CubaLI", tau_syn=np.full(4, 0.003), tau_mem=np.full(4, 0.006), r=np.full(4, 2.0),
                 v_leak=np.zeros(4), w_in=np.full(4, 1.5)),
    "output": dict(type="Output", shape=np.array([4])),
}
sub_edges = [("input", "lin"), ("lin", "cuba"), ("cuba", "output")]
edges = [("input", "conv"), ("conv", "lif"), ("lif", "sum"), ("lif", "avg"), ("sum", "flat"), ("flat", "scale"),
         ("scale", "thr"), ("thr", "fc"), ("fc", "if"), ("if", "sub"), ("fc", "conv1"), ("conv1", "flat1"),
         ("flat1", "integ"), ("integ", "sub"), ("sub", "output")]
# avg pools the LIF output too but only feeds nothing else: keep it (a dead-end branch) to exercise AvgPool2d output
nodes["avgout"] = None
del nodes["avgout"]

# ------------------------------------------------------------------ numpy reference simulation (README semantics)
def conv2d(x, w, b, stride, pad, dil):
    cin, h, wd = x.shape
    cout, _, kh, kw = w.shape
    xp = np.zeros((cin, h + pad[0] * 2, wd + pad[1] * 2))
    xp[:, pad[0]:pad[0] + h, pad[1]:pad[1] + wd] = x
    oh = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) // stride[1] + 1
    y = np.zeros((cout, oh, ow))
    for o in range(cout):
        for i in range(oh):
            for j in range(ow):
                patch = xp[:, i * stride[0]:i * stride[0] + dil[0] * (kh - 1) + 1:dil[0],
                           j * stride[1]:j * stride[1] + dil[1] * (kw - 1) + 1:dil[1]]
                y[o, i, j] = b[o] + np.sum(patch * w[o])
    return y


def pool(x, k, s, p, avg):
    c, h, w = x.shape
    xp = np.zeros((c, h + 2 * p[0], w + 2 * p[1]))
    xp[:, p[0]:p[0] + h, p[1]:p[1] + w] = x
    oh = (h + 2 * p[0] - k[0]) // s[0] + 1
    ow = (w + 2 * p[1] - k[1]) // s[1] + 1
    y = np.zeros((c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            y[:, i, j] = xp[:, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]].sum(axis=(1, 2))
    return y / (k[0] * k[1]) if avg else y


def flat_graph():
    fn = {k: v for k, v in nodes.items() if v is not None}
    for k, v in sub_nodes.items():
        if v["type"] not in ("Input", "Output"):
            fn["sub." + k] = v
    fe = []
    for a, b in edges:
        a2 = "sub.cuba" if a == "sub" else a
        b2 = "sub.lin" if b == "sub" else b
        fe.append((a2, b2))
    fe.append(("sub.lin", "sub.cuba"))
    return fn, fe


def simulate(inp, dt):
    fn, fe = flat_graph()
    succ = {k: [] for k in fn}
    pred = {k: [] for k in fn}
    for a, b in fe:
        succ[a].append(b)
        pred[b].append(a)
    order, seen, q = [], {"input"}, deque(["input"])
    while q:
        k = q.popleft()
        order.append(k)
        for s in succ[k]:
            if s not in seen:
                seen.add(s)
                q.append(s)
    out = {k: None for k in fn}
    state = {}
    rec = {"output": [], "lif": [], "if": [], "integ": [], "sub.cuba": []}
    for t in range(inp.shape[0]):
        done = set()
        for k in order:
            n = fn[k]
            ins = [out[p] if out[p] is not None else None for p in pred[k]]
            x = None
            for p, v in zip(pred[k], ins):
                if v is None:
                    continue
                x = v.copy() if x is None else x + v.reshape(x.shape)
            ty = n["type"]
            if ty == "Input":
                y = inp[t].astype(np.float64)
            elif ty == "Conv2d":
                y = conv2d(x.reshape(C, H, W), n["weight"].astype(np.float64), n["bias"].astype(np.float64),
                           (1, 1), (1, 1), (1, 1))
            elif ty == "Conv1d":
                w = n["weight"]
                xx = x.reshape(1, 1, 8)
                y = conv2d(xx, w.reshape(2, 1, 1, 3), n["bias"], (1, 2), (0, 1), (1, 1)).reshape(2, 4)
            elif ty == "LIF":
                v = state.get(k, np.zeros(n["tau"].shape))
                v = v + dt / n["tau"] * (n["v_leak"] - v + n["r"] * x.reshape(v.shape))
                z = v > n["v_threshold"]
                v = np.where(z, n["v_reset"], v)
                state[k] = v
                y = z.astype(np.float64)
            elif ty == "IF":
                v = state.get(k, np.zeros(n["r"].shape))
                v = v + dt * n["r"] * x
                z = v > n["v_threshold"]
                v = np.where(z, n["v_reset"], v)
                state[k] = v
                y = z.astype(np.float64)
            elif ty == "I":
                v = state.get(k, np.zeros(n["r"].shape))
                v = v + dt * n["r"] * x.reshape(v.shape)
                state[k] = v
                y = v.copy()
            elif ty == "CubaLI":
                v = state.get(k, np.zeros(n["r"].shape))
                i = state.get(k + "/i", np.zeros(n["r"].shape))
                i_new = i + dt / n["tau_syn"] * (-i + n["w_in"] * x)
                v = v + dt / n["tau_mem"] * (n["v_leak"] - v + n["r"] * i)
                state[k], state[k + "/i"] = v, i_new
                y = v.copy()
            elif ty == "SumPool2d":
                y = pool(x.reshape(3, H, W), (2, 2), (2, 2), (0, 0), False)
            elif ty == "AvgPool2d":
                y = pool(x.reshape(3, H, W), (3, 3), (1, 1), (1, 1), True)
            elif ty == "Flatten":
                y = x.reshape(-1)
            elif ty == "Scale":
                y = n["scale"] * x.reshape(-1)
            elif ty == "Threshold":
                y = (x > n["threshold"]).astype(np.float64)
            elif ty == "Affine":
                y = n["weight"] @ x + n["bias"]
            elif ty == "Linear":
                y = n["weight"] @ x.reshape(-1)
            elif ty == "Output":
                y = x.copy()
            else:
                raise ValueError(ty)
            out[k] = y
            done.add(k)
        rec["output"].append(out["output"].reshape(-1))
        for s in ("lif", "if", "integ", "sub.cuba"):
            rec[s].append(state[s].copy())
    return {k: np.array(v) for k, v in rec.items()}


def write():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "graph.nir")
    with h5py.File(path, "w") as f:
        put_string(f, "version", "1.0.7", "vlen")
        g = f.create_group("node")
        put_string(g, "type", "NIRGraph", "null")
        ng = g.create_group("nodes")
        for i, (k, n) in enumerate(nodes.items()):
            ngk = ng.create_group(k)
            if n is None:
                put_string(ngk, "type", "NIRGraph", "vlen")
                sn = ngk.create_group("nodes")
                for k2, n2 in sub_nodes.items():
                    g2 = sn.create_group(k2)
                    for p, v in n2.items():
                        if p == "type":
                            put_string(g2, "type", v, "space")
                        else:
                            arr(g2, p, v)
                ngk.create_dataset("edges", data=np.array(sub_edges, dtype="S"))  # fixed-length byte strings
                continue
            for p, v in n.items():
                if p == "type":
                    put_string(ngk, "type", v, ["vlen", "null", "space"][i % 3])
                elif isinstance(v, str):
                    put_string(ngk, p, v, "vlen")
                else:
                    arr(ngk, p, np.asarray(v), gz=(i % 2 == 0 and np.asarray(v).ndim > 0))
        g.create_dataset("edges", data=np.array(edges, dtype=object), dtype=h5py.string_dtype())
        m = g.create_group("metadata")
        m.create_dataset("dt", data=1e-3)
        put_string(m, "source", "make_nir_fixtures.py", "vlen")
    dt = 1e-3
    inp = (rng.random((40, C, H, W)) < 0.3).astype(np.float32) * rng.uniform(0.5, 2.0, (40, C, H, W)).astype(np.float32)
    np.save(os.path.join(OUT, "input.npy"), inp)
    rec = simulate(inp, dt)
    np.savez(os.path.join(OUT, "expected.npz"), **rec)
    with open(os.path.join(OUT, "case.json"), "w") as f:
        json.dump({"dt_s": dt, "steps": int(inp.shape[0]), "states": ["lif", "if", "integ", "sub.cuba"],
                   "output_sum": float(rec["output"].sum()),
                   "source": "test-data/tools/make_nir_fixtures.py (numpy reference simulation)"}, f, indent=1)
    print("wrote", OUT, {k: v.shape for k, v in rec.items()}, "output sum", rec["output"].sum(),
          "lif spikes", int(sum((s == 0).sum() for s in rec["lif"])))


if __name__ == "__main__":
    write()
