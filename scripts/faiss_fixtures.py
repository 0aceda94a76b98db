#!/usr/bin/env python3
"""Write real Faiss index files plus the vectors Faiss itself reconstructs from them.

Usage:
    python scripts/faiss_fixtures.py OUTPUT_DIR [--only NAME ...]
    python scripts/faiss_fixtures.py --bench N DIM PATH [--bench-type ivfflat|flat]

For every fixture NAME this writes:
  NAME.index     faiss.write_index (faiss.write_index_binary for binary indexes)
  NAME.expected  little-endian: b"FXEX", int32 version=1, int32 kind (0 float, 1 binary),
                 int32 dim (bits for binary), int64 metric (Faiss code: IP=0, L2=1), int64 n,
                 then n records of int64 id + vector (dim float32, or dim/8 uint8 for binary).
                 Records are in storage order: 0..n-1 for flat-like indexes, inverted list
                 by inverted list (then position in the list) for IVF; an IDMap wrapper keeps
                 the order of its inner index and replaces internal ids by id_map entries.
                 Vectors are bit-for-bit what index.reconstruct returns.
  faiss-version.txt  the version of the Faiss that wrote them, such as 1.7.4
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


def fixture(description, needs=None):
    """Registers a fixture; one that needs a Faiss attribute (such as "ScalarQuantizer.QT_0bit") is left out when
    this Faiss lacks it (Faiss 1.7.x, FAISS_VERSION=1.7)."""
    def register(builder):
        if needs is None or has_faiss(needs):
            FIXTURES[builder.__name__] = (description, builder)
        return builder
    return register


def has_faiss(path):
    obj = faiss
    for part in path.split("."):
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


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


@fixture("IndexHNSWFlat L2 dim 17 (M 16), 300 rows: vectors from the nested IndexFlat storage")
def hnsw_flat():
    index = faiss.IndexHNSWFlat(17, 16)
    index.add(gaussian(19, 300, 17))
    return index


@fixture("IndexHNSWFlat inner product dim 8 (M 8), 120 rows")
def hnsw_flat_ip():
    index = faiss.IndexHNSWFlat(8, 8, faiss.METRIC_INNER_PRODUCT)
    index.add(gaussian(40, 120, 8))
    return index


@fixture("IndexHNSWSQ L2 dim 19, QT_8bit, M 16, 250 rows")
def hnsw_sq8():
    index = faiss.IndexHNSWSQ(19, faiss.ScalarQuantizer.QT_8bit, 16)
    x = gaussian(41, 250, 19)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexHNSWPQ L2 dim 16, PQ 4x8, M 16, 400 rows")
def hnsw_pq():
    index = faiss.IndexHNSWPQ(16, 4, 16)
    x = gaussian(42, 400, 16)
    index.train(x)
    index.add(x)
    return index


def sq_data(qtype, seed, n, d):
    rng = np.random.default_rng(seed)
    if qtype == faiss.ScalarQuantizer.QT_8bit_direct:
        return rng.integers(0, 256, (n, d)).astype(np.float32)
    if qtype == getattr(faiss.ScalarQuantizer, "QT_8bit_direct_signed", None):
        return rng.integers(-128, 128, (n, d)).astype(np.float32)
    return gaussian(seed, n, d) * np.float32(3)


def sq_fixture(name, qtype, d, metric, seed):
    def build():
        index = faiss.IndexScalarQuantizer(d, qtype, metric)
        x = sq_data(qtype, seed, 300, d)
        index.train(x)
        index.add(x)
        return index
    build.__name__ = name
    fixture(f"IndexScalarQuantizer {name[3:]} dim {d}, 300 rows")(build)


_SQ = faiss.ScalarQuantizer
for _i, (_name, _qt, _d) in enumerate([
        ("sq_8bit", "QT_8bit", 13), ("sq_4bit", "QT_4bit", 13), ("sq_8bit_uniform", "QT_8bit_uniform", 13),
        ("sq_4bit_uniform", "QT_4bit_uniform", 11), ("sq_fp16", "QT_fp16", 13),
        ("sq_8bit_direct", "QT_8bit_direct", 13), ("sq_6bit", "QT_6bit", 14), ("sq_6bit_odd", "QT_6bit", 13),
        ("sq_bf16", "QT_bf16", 13), ("sq_8bit_direct_signed", "QT_8bit_direct_signed", 13),
        # dimensions that are multiples of 8 / 16 / 32, where Faiss picks its SIMD quantizers
        ("sq_8bit_d32", "QT_8bit", 32), ("sq_4bit_d16", "QT_4bit", 16), ("sq_6bit_d16", "QT_6bit", 16),
        ("sq_8bit_uniform_d64", "QT_8bit_uniform", 64), ("sq_4bit_uniform_d8", "QT_4bit_uniform", 8),
        ("sq_fp16_d16", "QT_fp16", 16), ("sq_bf16_d32", "QT_bf16", 32)]):
    if hasattr(_SQ, _qt):  # Faiss 1.7.x has no QT_bf16 / QT_8bit_direct_signed: those fixtures are left out there
        sq_fixture(_name, getattr(_SQ, _qt), _d, faiss.METRIC_INNER_PRODUCT if _i % 3 == 1 else faiss.METRIC_L2,
                   50 + _i)


@fixture("trained IndexScalarQuantizer QT_8bit dim 16, 0 rows")
def empty_sq8():
    index = faiss.IndexScalarQuantizer(16, faiss.ScalarQuantizer.QT_8bit)
    index.train(gaussian(60, 200, 16))
    return index


@fixture("IndexIDMap(IndexScalarQuantizer QT_8bit dim 11), 200 rows, ids in [2^33, 2^62)")
def idmap_sq8():
    index = faiss.IndexIDMap(faiss.IndexScalarQuantizer(11, faiss.ScalarQuantizer.QT_8bit))
    x = gaussian(61, 200, 11)
    index.train(x)
    index.add_with_ids(x, big_ids(62, 200))
    return index


def ivf_sq(d, nlist, qtype, by_residual, metric=faiss.METRIC_L2):
    quantizer = faiss.IndexFlatL2(d) if metric == faiss.METRIC_L2 else faiss.IndexFlatIP(d)
    return faiss.IndexIVFScalarQuantizer(quantizer, d, nlist, qtype, metric, by_residual)


@fixture("IndexIVFScalarQuantizer QT_8bit by residual, L2 dim 15, nlist 16, 2000 rows from 12 clusters "
         "(some lists empty)")
def ivfsq8_residual():
    c = centres(63, 16, 15)
    index = ivf_sq(15, 16, faiss.ScalarQuantizer.QT_8bit, True)
    index.train(around(64, c, 1600))
    index.add(around(65, c[:12], 2000))
    assert 0 in list_sizes(index)
    return index


@fixture("IndexIVFScalarQuantizer QT_4bit without residual, inner product dim 13, nlist 8, 900 rows")
def ivfsq4_direct_ip():
    index = ivf_sq(13, 8, faiss.ScalarQuantizer.QT_4bit, False, faiss.METRIC_INNER_PRODUCT)
    x = gaussian(66, 900, 13)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexIVFScalarQuantizer QT_fp16 by residual, L2 dim 9, nlist 8, 500 rows")
def ivfsq_fp16_residual():
    index = ivf_sq(9, 8, faiss.ScalarQuantizer.QT_fp16, True)
    x = gaussian(67, 500, 9)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexIVFScalarQuantizer QT_8bit by residual, L2 dim 32, nlist 8, 600 rows")
def ivfsq8_residual_d32():
    index = ivf_sq(32, 8, faiss.ScalarQuantizer.QT_8bit, True)
    x = gaussian(69, 600, 32)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexIVFScalarQuantizer QT_6bit by residual, L2 dim 14, nlist 4, 300 rows")
def ivfsq6_residual():
    index = ivf_sq(14, 4, faiss.ScalarQuantizer.QT_6bit, True)
    x = gaussian(68, 300, 14)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexIVFScalarQuantizer QT_0bit (no codes: every row is its list's centroid), L2 dim 12, nlist 6, "
         "400 rows", needs="ScalarQuantizer.QT_0bit")
def ivfsq0_centroids():
    index = ivf_sq(12, 6, faiss.ScalarQuantizer.QT_0bit, False)
    x = gaussian(85, 400, 12)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexPQ L2 dim 16, M 4, nbits 8, 600 rows")
def pq_8bit():
    index = faiss.IndexPQ(16, 4, 8)
    x = gaussian(70, 600, 16)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexPQ inner product dim 15, M 5, nbits 6 (codes packed across bytes), 400 rows")
def pq_6bit_ip():
    index = faiss.IndexPQ(15, 5, 6, faiss.METRIC_INNER_PRODUCT)
    x = gaussian(71, 400, 15)
    index.train(x)
    index.add(x)
    return index


def ivf_pq(d, nlist, m, nbits, by_residual, metric=faiss.METRIC_L2):
    quantizer = faiss.IndexFlatL2(d) if metric == faiss.METRIC_L2 else faiss.IndexFlatIP(d)
    index = faiss.IndexIVFPQ(quantizer, d, nlist, m, nbits, metric)
    index.by_residual = by_residual
    return index


@fixture("IndexIVFPQ by residual, L2 dim 24, nlist 16, PQ 6x8, 3000 rows from 12 clusters (some lists empty)")
def ivfpq_residual():
    c = centres(72, 16, 24)
    index = ivf_pq(24, 16, 6, 8, True)
    index.train(around(73, c, 4000))
    index.add(around(74, c[:12], 3000))
    assert 0 in list_sizes(index)
    return index


@fixture("IndexIVFPQ without residual, inner product dim 16, nlist 8, PQ 4x8, 1200 rows")
def ivfpq_direct_ip():
    index = ivf_pq(16, 8, 4, 8, False, faiss.METRIC_INNER_PRODUCT)
    x = gaussian(75, 1200, 16)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexIVFPQ by residual, L2 dim 12, nlist 4, PQ 3x5 (codes packed across bytes), 800 rows")
def ivfpq_5bit():
    index = ivf_pq(12, 4, 3, 5, True)
    x = gaussian(76, 800, 12)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexIDMap(IndexIVFPQ by residual, L2 dim 16, nlist 8, PQ 4x8), 1000 rows, ids in [2^33, 2^62)")
def idmap_ivfpq():
    ivf = ivf_pq(16, 8, 4, 8, True)
    x = gaussian(77, 1000, 16)
    ivf.train(x)
    index = faiss.IndexIDMap(ivf)
    index.add_with_ids(x, big_ids(78, 1000))
    return index


@fixture("trained IndexIVFPQ by residual, L2 dim 8, nlist 4, PQ 2x8, 0 rows")
def empty_ivfpq():
    index = ivf_pq(8, 4, 2, 8, True)
    index.train(gaussian(79, 1200, 8))
    return index


@fixture("IndexRefineFlat(IndexPQ dim 16, M 4 x 8), 500 rows: vectors from the flat refine index")
def refine_flat_pq():
    base = faiss.IndexPQ(16, 4, 8)
    index = faiss.IndexRefineFlat(base)
    x = gaussian(80, 500, 16)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexRefine(IndexScalarQuantizer QT_4bit dim 10, IndexFlatIP dim 10), inner product, 300 rows")
def refine_sq_ip():
    base = faiss.IndexScalarQuantizer(10, faiss.ScalarQuantizer.QT_4bit, faiss.METRIC_INNER_PRODUCT)
    index = faiss.IndexRefine(base, faiss.IndexFlatIP(10))
    x = gaussian(81, 300, 10)
    index.train(x)
    index.add(x)
    return index


@fixture("IndexFlat with METRIC_L1 dim 9, 100 rows: no Milvus metric, migrates only with an explicit metric")
def flat_l1():
    index = faiss.IndexFlat(9, faiss.METRIC_L1)
    index.add(gaussian(82, 100, 9))
    return index


@fixture("IndexFlat with METRIC_Lp (p = 3) dim 6, 50 rows (the header carries a float metric_arg)")
def flat_lp3():
    index = faiss.IndexFlat(6, faiss.METRIC_Lp)
    index.metric_arg = 3.0
    index.add(gaussian(83, 50, 6))
    return index


@fixture("IndexPreTransform(PCA 16 -> 8, IndexFlatL2 dim 8), 200 rows: not invertible, must be rejected")
def unsupported_pretransform():
    x = gaussian(84, 200, 16)
    pca = faiss.PCAMatrix(16, 8)
    index = faiss.IndexPreTransform(pca, faiss.IndexFlatL2(8))
    index.train(x)
    index.add(x)
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


# ---------------------------------------------------------------- binary fixtures (IndexBinary*)
# Written with faiss.write_index_binary; .expected has kind 1, dim in bits, dim/8 uint8 per row and
# metric -1 (a binary index's metric_type field carries no Milvus metric: Hamming unless chosen).

def random_bits(seed, n, d):
    return np.random.default_rng(seed).integers(0, 256, size=(n, d // 8), dtype=np.uint8)


def bits_around(seed, c, n, flips=3):
    """n codes near randomly chosen rows of c: each a copy with a few random bits flipped."""
    rng = np.random.default_rng(seed)
    x = c[rng.integers(0, len(c), n)].copy()
    for _ in range(flips):
        bit = rng.integers(0, c.shape[1] * 8, n)
        x[np.arange(n), bit // 8] ^= (1 << (bit % 8)).astype(np.uint8)
    return x


def binary_ivf(d, nlist):
    return faiss.IndexBinaryIVF(faiss.IndexBinaryFlat(d), d, nlist)


@fixture("IndexBinaryFlat d=64 bits, 500 rows")
def bin_flat_64():
    index = faiss.IndexBinaryFlat(64)
    index.add(random_bits(101, 500, 64))
    return index


@fixture("IndexBinaryFlat d=136 bits (a multiple of 8, not of 32), 300 rows")
def bin_flat_136():
    index = faiss.IndexBinaryFlat(136)
    index.add(random_bits(102, 300, 136))
    return index


@fixture("IndexBinaryFlat d=64 bits, 0 rows")
def bin_empty_flat():
    return faiss.IndexBinaryFlat(64)


@fixture("IndexBinaryIVF d=64, nlist 16, 1200 rows; trained on 16 clusters, rows from 10, so some "
         "lists are empty")
def bin_ivf_64():
    c = random_bits(103, 16, 64)
    index = binary_ivf(64, 16)
    index.train(bits_around(104, c, 16 * 40))
    index.add(bits_around(105, c[:10], 1200))
    sizes = list_sizes_binary(index)
    assert 0 in sizes and sum(s > 0 for s in sizes) > 4, sizes
    return index


@fixture("IndexBinaryIVF d=136, nlist 8, 600 rows, DirectMap.Array set after add "
         "(non-empty direct-map array in the file)")
def bin_ivf_136_directmap():
    c = random_bits(106, 8, 136)
    index = binary_ivf(136, 8)
    index.train(bits_around(107, c, 8 * 40))
    index.add(bits_around(108, c, 600))
    index.set_direct_map_type(faiss.DirectMap.Array)
    return index


@fixture("IndexBinaryIVF d=64, nlist 8, 400 rows added with add_with_ids, ids in [2^33, 2^62)")
def bin_ivf_ids():
    c = random_bits(109, 8, 64)
    index = binary_ivf(64, 8)
    index.train(bits_around(110, c, 8 * 40))
    index.add_with_ids(bits_around(111, c, 400), big_ids(112, 400))
    return index


@fixture("IndexBinaryIDMap(IndexBinaryFlat d=64), 250 rows, distinct ids in [2^33, 2^62)")
def bin_idmap_flat():
    index = faiss.IndexBinaryIDMap(faiss.IndexBinaryFlat(64))
    index.add_with_ids(random_bits(113, 250, 64), big_ids(114, 250))
    return index


@fixture("IndexBinaryIDMap2(IndexBinaryIVF d=136, nlist 6), 500 rows, ids in [2^33, 2^62)")
def bin_idmap2_ivf():
    c = random_bits(115, 6, 136)
    ivf = binary_ivf(136, 6)
    ivf.train(bits_around(116, c, 6 * 40))
    index = faiss.IndexBinaryIDMap2(ivf)
    index.add_with_ids(bits_around(117, c, 500), big_ids(118, 500))
    return index


@fixture("IndexBinaryHNSW d=64 (M 16), 400 rows; vectors in its nested IndexBinaryFlat storage")
def bin_hnsw():
    index = faiss.IndexBinaryHNSW(64, 16)
    index.add(random_bits(119, 400, 64))
    return index


def list_sizes_binary(index):
    return [index.invlists.list_size(l) for l in range(index.nlist)]


def binary_records(index):
    """(ids, uint8 codes) in storage order for an IndexBinary*, codes from Faiss's own reconstruct."""
    if isinstance(index, faiss.IndexBinaryIDMap):  # also IndexBinaryIDMap2
        internal, codes = binary_records(faiss.downcast_IndexBinary(index.index))
        return faiss.vector_to_array(index.id_map)[internal], codes
    if isinstance(index, faiss.IndexBinaryIVF):
        lists = index.invlists
        ids = np.concatenate([np.zeros(0, np.int64)] + [
            faiss.rev_swig_ptr(lists.get_ids(l), lists.list_size(l)).copy()
            for l in range(index.nlist) if lists.list_size(l) > 0])
        # never touch the index that was written (Faiss 1.7.x has no clone_binary_index: copy through bytes)
        copy = faiss.deserialize_index_binary(faiss.serialize_index_binary(index))
        copy.set_direct_map_type(faiss.DirectMap.Hashtable)  # works for any ids
        codes = np.array([copy.reconstruct(int(i)) for i in ids], dtype=np.uint8)
        return ids, codes.reshape(len(ids), index.code_size)
    n = index.ntotal
    # row by row: Faiss 1.7.x's IndexBinary has no allocating reconstruct_n in Python, and its C++ reconstruct_n
    # steps through the output by d (bits) instead of code_size bytes
    codes = np.array([index.reconstruct(row) for row in range(n)], dtype=np.uint8)
    return np.arange(n, dtype=np.int64), codes.reshape(n, index.code_size)


# ---------------------------------------------------------------- expected output

def records(index):
    """(ids, vectors) in storage order; vectors come from Faiss's own reconstruct."""
    if isinstance(index, faiss.IndexBinary):
        return binary_records(index)
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
    # A binary index's metric_type carries no Milvus metric: -1 (readers default to Hamming).
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
    with open(os.path.join(out, "faiss-version.txt"), "w") as f:
        f.write(faiss.__version__ + "\n")


# ---------------------------------------------------------------- benchmark index

def write_bench(n, d, path, kind="ivfflat", chunk=65536, seed=42):
    """IVF_FLAT (or IndexFlatL2 for kind "flat") over n x d uniform floats, trained on a sample, added in chunks."""
    if kind == "flat":
        index, what = faiss.IndexFlatL2(d), "Flat"
    else:
        nlist = max(1, min(1024, n // 39))
        index, what = ivf_flat(d, nlist), f"IVF_FLAT nlist={nlist}"
        index.train(np.random.default_rng(seed).random((min(n, 64 * nlist), d), dtype=np.float32))
    rng = np.random.default_rng(seed + 1)
    for start in range(0, n, chunk):
        index.add(rng.random((min(chunk, n - start), d), dtype=np.float32))
    faiss.write_index(index, path)
    print(f"bench: {path} {what} n={n} d={d} size={os.path.getsize(path)}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("output_dir", nargs="?")
    p.add_argument("--only", nargs="+", metavar="NAME")
    p.add_argument("--bench", nargs=3, metavar=("N", "DIM", "PATH"))
    p.add_argument("--bench-type", choices=("ivfflat", "flat"), default="ivfflat")
    a = p.parse_args()
    start = time.time()
    if a.bench:
        write_bench(int(a.bench[0]), int(a.bench[1]), a.bench[2], a.bench_type)
    elif a.output_dir:
        write_fixtures(a.output_dir, a.only)
    else:
        p.error("OUTPUT_DIR or --bench is required")
    print(f"done in {time.time() - start:.1f}s")


if __name__ == "__main__":
    main()
