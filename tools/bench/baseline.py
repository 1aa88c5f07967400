"""The labelling pipeline a Python shop would write, timed: Pillow decode + resize to
224x224, numpy to NCHW float32, onnxruntime (2 intra-op threads) on the same ONNX file.

Why: `pam bench labelling` runs this in the same session as our Rust pipeline and prints
our throughput relative to it. Photos are read into memory first (as the Rust side does),
so both measure decode through inference, not disk.

Usage: python baseline.py MODEL.onnx COUNT PHOTO...   (prints one JSON line)
"""

import io
import json
import sys
import time

import numpy as np
import onnxruntime as ort
from PIL import Image


def main(argv):
    model, count, paths = argv[1], int(argv[2]), argv[3:]
    blobs = [open(p, "rb").read() for p in paths]
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    sess = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])

    def prepare(blob):
        with Image.open(io.BytesIO(blob)) as im:
            im = im.convert("RGB").resize((224, 224), Image.BILINEAR)
        return np.asarray(im, dtype=np.float32).transpose(2, 0, 1)[None]

    sess.run(None, {"image": prepare(blobs[0])})  # warm-up
    decode = infer = 0.0
    cpu_start = time.process_time()
    start = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        x = prepare(blobs[i % len(blobs)])
        t1 = time.perf_counter()
        sess.run(None, {"image": x})
        t2 = time.perf_counter()
        decode += t1 - t0
        infer += t2 - t1
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(json.dumps({"images": count, "seconds": total, "cpu_s": cpu, "decode_s": decode, "infer_s": infer}))


if __name__ == "__main__":
    main(sys.argv)
