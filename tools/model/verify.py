"""Check a converted model on real photos: print the top classes of each and fail when an
expected class is missing from the top 5.

Why: a conversion bug (wrong padding side, BN eps, channel order) still yields a valid
graph that classifies garbage; only real photos tell. Run by scripts/fetch-model.sh with
onnxruntime + Pillow when they are installed (they are optional for conversion).

Usage: python verify.py MODEL.onnx imagenet1k_label_to_names.json PHOTO_DIR
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np

# photo (relative to PHOTO_DIR) -> an ImageNet class name expected among the top 5
EXPECTED = {
    "mate-backgrounds/LadyBird.jpg": "ladybug",
    "palapeli-data/castle-maintenon.jpg": "castle",
    "palapeli-data/european-honey-bee.jpg": "bee",
    "scratch/Nature/beach-malibu.jpg": "seashore",
    "scratch/Outdoors/castle.jpg": "castle",
    "scratch/Nature/hill.jpg": "alp",
}


def preprocess(path):
    from PIL import Image

    with Image.open(path) as im:
        im = im.convert("RGB").resize((224, 224), Image.BILINEAR)
        return np.asarray(im, dtype=np.float32).transpose(2, 0, 1)[None]


def main(argv):
    import onnxruntime as ort

    model, classes_path, photos = argv[1:4]
    # imagenet1k_label_to_names.json: {"0": "tench, Tinca tinca", ...}; keep the first name.
    names_by_index = json.load(open(classes_path))
    classes = [names_by_index[str(i)].split(",")[0].strip() for i in range(len(names_by_index))]
    sess = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    failures = []
    for root, _, files in sorted(os.walk(photos)):
        for f in sorted(files):
            path = os.path.join(root, f)
            rel = os.path.relpath(path, photos)
            probs = sess.run(None, {"image": preprocess(path)})[0][0]
            top = np.argsort(-probs)[:5]
            names = [classes[i] for i in top]
            print(f"{rel:50s} " + ", ".join(f"{classes[i]} {probs[i]:.2f}" for i in top[:3]))
            if rel in EXPECTED and EXPECTED[rel] not in names:
                failures.append(f"{rel}: expected {EXPECTED[rel]}, got {names}")
    if failures:
        raise SystemExit("model verification failed:\n  " + "\n  ".join(failures))
    print("model verification passed")


if __name__ == "__main__":
    main(sys.argv)
