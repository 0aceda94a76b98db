#!/usr/bin/env python3
"""Write real Faiss index files plus the vectors Faiss itself reconstructs from them.

Usage:
    python scripts/faiss_fixtures.py OUTPUT_DIR [--only NAME ...]
    python scripts/faiss_fixtures.py --bench N DIM PATH

For every fixture NAME this writes:
  NAME.index     faiss.write_index (faiss.write_index_binary for binary indexes)
  NAME.expected  little-endian: b"FXEX", int32 version=1, int32 kind (0 float, 1 binary),
                 int32 dim (bits for binary), int64 metric (Faiss code: IP=0, L2=1), int64 n,
                 then n records of int64 id + vector (dim float32, or dim/8 uint8 for binary).
                 Records are in storage order: 0..n-1 for flat-like indexes, inverted list
                 by inverted list (then position in the list) for IVF; an IDMap wrapper keeps
                 the order of its inner index and replaces internal ids by id_map entries.
                 Vectors are bit-for-bit what index.reconstruct returns.
  fixtures.json  [{name, index_file, expected_file, description, type, dim, n, metric}],
                 where type is the four-character code at the start of NAME.index and
                 metric is the Faiss metric code.
Output is deterministic (fixed seeds, single-threaded Faiss). Needs requirements-fixtures.txt.
"""
import argparse
import json
import os
import struct
import sys
import time

import faiss
import numpy as np

FIXTURES = {}  # name -> (description, builder returning a populated index)


def fixture(description):
    def register(builder):
        FIXTURES[builder.__name__] = (description, builder)
        return builder
    return register


# ---------------------------------------------------------------- seeded data

def gaussian(seed, n, d):
    return np.random.default_rng(seed).standard_normal((n, d), dtype=np.float32)


def centres(seed, k, d):
    return gaussian(seed, k, d) * np.float32(10)


def around(seed, c, n):
    """n points near randomly chosen rows of c (tight clusters)."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(c), n)
    return c[pick] + rng.standard_normal((n, c.shape[1]), dtype=np.float32) * np.float32(0.1)


def big_ids(seed, n):
    """n distinct int64 ids in [2**33, 2**62), in random (unsorted) order."""
    raw = np.random.default_rng(seed).integers(2**33, 2**62, size=2 * n, dtype=np.int64)
    _, first = np.unique(raw, return_index=True)
    ids = raw[np.sort(first)][:n]
    assert len(ids) == n
    return ids


def ivf_flat(d, nlist, metric=faiss.METRIC_L2):
    quantizer = faiss.IndexFlatL2(d) if metric == faiss.METRIC_L2 else faiss.IndexFlatIP(d)
    return faiss.IndexIVFFlat(quantizer, d, nlist, metric)


def list_sizes(index):
    ivf = faiss.extract_index_ivf(index)
    return [ivf.invlists.list_size(l) for l in range(ivf.nlist)]


# ---------------------------------------------------------------- fixtures

@fixture("IndexFlatL2, odd dim 37, 1000 rows")
def flat_l2():
    index = faiss.IndexFlatL2(37)
    index.add(gaussian(1, 1000, 37))
    return index


@fixture("IndexFlatIP, dim 16, 500 rows")
def flat_ip():
    index = faiss.IndexFlatIP(16)
    index.add(gaussian(2, 500, 16))
    return index


@fixture("IndexIVFFlat L2, dim 24, nlist 16, 3000 rows; trained on 16 clusters, rows from 12, "
         "so some lists are empty (list sizes written in 'full' form)")
def ivfflat_l2():
    c = centres(3, 16, 24)
    index = ivf_flat(24, 16)
    index.train(around(4, c, 1600))
    index.add(around(5, c[:12], 3000))
    sizes = list_sizes(index)
    assert 0 in sizes and sum(s > 0 for s in sizes) > 8, sizes
    return index


@fixture("IndexIVFFlat inner product, dim 32, nlist 8, 2000 rows")
def ivfflat_ip():
    index = ivf_flat(32, 8, faiss.METRIC_INNER_PRODUCT)
    x = gaussian(6, 2000, 32)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexIVFFlat L2, dim 8, nlist 32, 400 rows in at most 5 lists "
         "(list sizes written in 'sprs' form)")
def ivfflat_sparse():
    c = centres(7, 32, 8)
    index = ivf_flat(8, 32)
    index.train(around(8, c, 32 * 40))
    index.add(around(9, c[:5], 400))
    sizes = list_sizes(index)
    assert 0 < sum(s > 0 for s in sizes) <= 16, sizes
    return index


@fixture("IndexIDMap(IndexFlatL2 dim 12), 300 rows, distinct ids in [2^33, 2^62)")
def idmap_flat():
    index = faiss.IndexIDMap(faiss.IndexFlatL2(12))
    index.add_with_ids(gaussian(10, 300, 12), big_ids(11, 300))
    return index


@fixture("IndexIDMap2(IndexFlatIP dim 8), 200 rows, distinct ids in [2^33, 2^62)")
def idmap2_flat_ip():
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(8))
    index.add_with_ids(gaussian(12, 200, 8), big_ids(13, 200))
    return index


@fixture("IndexIDMap(IndexIVFFlat L2 dim 20, nlist 10), 1500 rows, ids in [2^33, 2^62)")
def idmap_ivfflat():
    ivf = ivf_flat(20, 10)
    x = gaussian(14, 1500, 20)
    ivf.train(x)
    index = faiss.IndexIDMap(ivf)
    index.add_with_ids(x, big_ids(15, 1500))
    return index


@fixture("IndexIVFFlat L2 dim 20, nlist 10, 1500 rows added with add_with_ids, ids in [2^33, 2^62)")
def ivfflat_ids():
    index = ivf_flat(20, 10)
    x = gaussian(16, 1500, 20)
    index.train(x)
    index.add_with_ids(x, big_ids(17, 1500))
    return index


@fixture("IndexFlatL2 dim 16, 0 rows")
def empty_flat():
    return faiss.IndexFlatL2(16)


@fixture("trained IndexIVFFlat L2 dim 16, nlist 4, 0 rows")
def empty_ivfflat():
    index = ivf_flat(16, 4)
    index.train(gaussian(18, 400, 16))
    return index


@fixture("IndexHNSWFlat dim 16 (M 16), 100 rows: unsupported type, must be rejected")
def unsupported_hnsw():
    index = faiss.IndexHNSWFlat(16, 16)
    index.add(gaussian(19, 100, 16))
    return index


@fixture("IndexIVFFlat L2 dim 16, nlist 8, 800 rows, DirectMap.Array set after add "
         "(non-empty direct-map array in the file)")
def ivfflat_directmap_array():
    index = ivf_flat(16, 8)
    x = gaussian(20, 800, 16)
    index.train(x)
    index.add(x)
    index.set_direct_map_type(faiss.DirectMap.Array)
    return index


@fixture("IndexIVFFlat L2 dim 16, nlist 8, 800 rows with ids in [2^33, 2^62), "
         "DirectMap.Hashtable set after add (non-empty hash table in the file)")
def ivfflat_directmap_hash():
    index = ivf_flat(16, 8)
    x = gaussian(21, 800, 16)
    index.train(x)
    index.add_with_ids(x, big_ids(22, 800))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)
    return index


# ---------------------------------------------------------------- expected output

def records(index):
    """(ids, vectors) in storage order; vectors come from Faiss's own reconstruct."""
    if isinstance(index, faiss.IndexIDMap):  # also IndexIDMap2
        internal, vecs = records(faiss.downcast_index(index.index))
        return faiss.vector_to_array(index.id_map)[internal], vecs
    if isinstance(index, faiss.IndexIVF):
        lists = index.invlists
        ids = np.concatenate([np.zeros(0, np.int64)] + [
            faiss.rev_swig_ptr(lists.get_ids(l), lists.list_size(l)).copy()
            for l in range(index.nlist) if lists.list_size(l) > 0])
        copy = faiss.clone_index(index)  # never touch the index that was written
        copy.set_direct_map_type(faiss.DirectMap.Hashtable)  # works for any ids
        vecs = np.array([copy.reconstruct(int(i)) for i in ids], dtype=np.float32)
        return ids, vecs.reshape(len(ids), index.d)
    n = index.ntotal
    return np.arange(n, dtype=np.int64), index.reconstruct_n(0, n)


def write_expected(path, index):
    binary = isinstance(index, faiss.IndexBinary)
    ids, vecs = records(index)
    dtype = np.dtype("u1" if binary else "<f4")
    width = index.d // 8 if binary else index.d
    assert vecs.dtype == dtype and vecs.shape == (len(ids), width), (vecs.dtype, vecs.shape)
    assert len(ids) == index.ntotal and len(set(ids.tolist())) == len(ids)
    # Binary indexes have no metric_type; decide the code when binary fixtures are added.
    metric = -1 if binary else int(index.metric_type)
    body = np.empty(len(ids), dtype=[("id", "<i8"), ("v", dtype, (width,))])
    body["id"], body["v"] = ids, vecs
    with open(path, "wb") as f:
        f.write(b"FXEX" + struct.pack("<iiiqq", 1, int(binary), index.d, metric, len(ids)))
        f.write(body.tobytes())
    return metric


def write_fixtures(out, only):
    unknown = set(only or ()) - FIXTURES.keys()
    if unknown:
        sys.exit(f"unknown fixture(s): {sorted(unknown)}; known: {sorted(FIXTURES)}")
    os.makedirs(out, exist_ok=True)
    faiss.omp_set_num_threads(1)  # bit-reproducible k-means and BLAS
    manifest = []
    for name, (description, builder) in FIXTURES.items():
        if only and name not in only:
            continue
        index = builder()
        index_file, expected_file = name + ".index", name + ".expected"
        binary = isinstance(index, faiss.IndexBinary)
        (faiss.write_index_binary if binary else faiss.write_index)(index, os.path.join(out, index_file))
        metric = write_expected(os.path.join(out, expected_file), index)
        with open(os.path.join(out, index_file), "rb") as f:
            fourcc = f.read(4).decode("ascii")
        manifest.append(dict(name=name, index_file=index_file, expected_file=expected_file,
                             description=description, type=fourcc, dim=index.d,
                             n=index.ntotal, metric=metric))
        print(f"{name:26s} {fourcc} d={index.d} n={index.ntotal}")
    with open(os.path.join(out, "fixtures.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


# ---------------------------------------------------------------- benchmark index

def write_bench(n, d, path, chunk=65536, seed=42):
    """IVF_FLAT over n x d uniform floats, trained on a sample and added in chunks."""
    nlist = max(1, min(1024, n // 39))
    index = ivf_flat(d, nlist)
    index.train(np.random.default_rng(seed).random((min(n, 64 * nlist), d), dtype=np.float32))
    rng = np.random.default_rng(seed + 1)
    for start in range(0, n, chunk):
        index.add(rng.random((min(chunk, n - start), d), dtype=np.float32))
    faiss.write_index(index, path)
    print(f"bench: {path} IVF_FLAT n={n} d={d} nlist={nlist} size={os.path.getsize(path)}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("output_dir", nargs="?")
    p.add_argument("--only", nargs="+", metavar="NAME")
    p.add_argument("--bench", nargs=3, metavar=("N", "DIM", "PATH"))
    a = p.parse_args()
    start = time.time()
    if a.bench:
        write_bench(int(a.bench[0]), int(a.bench[1]), a.bench[2])
    elif a.output_dir:
        write_fixtures(a.output_dir, a.only)
    else:
        p.error("OUTPUT_DIR or --bench is required")
    print(f"done in {time.time() - start:.1f}s")


if __name__ == "__main__":
    main()
