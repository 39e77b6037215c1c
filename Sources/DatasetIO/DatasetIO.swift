/// Readers, splits, augmentation and batching of image datasets.
