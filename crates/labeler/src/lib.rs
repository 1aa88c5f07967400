//! On-device image labeller: ONNX classifier (tract) plus the ImageNet → Rekognition-style label table.
