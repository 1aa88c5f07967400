//! ASL engine: parses, validates and runs Amazon States Language definitions. Knows nothing about photos.
