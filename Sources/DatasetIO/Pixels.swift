/// Converts `count` pixel bytes to Floats in [0, 1], dividing each by `maximum` (255 for 8-bit images).
func scaledPixels(_ bytes: UnsafePointer<UInt8>, count: Int, maximum: Float) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { out, initialized in
        guard let to = out.baseAddress else { return }
        for i in 0..<count { to[i] = Float(bytes[i]) / maximum }
        initialized = count
    }
}

/// Checks that every label is in `0..<classCount`.
func checkLabels(_ labels: [Int32], classCount: Int, path: String, offset: Int = 0) throws(DatasetError) {
    for (index, label) in labels.enumerated() where label < 0 || Int(label) >= classCount {
        throw .labelOutOfRange(path: path, index: offset + index, label: Int(label), classCount: classCount)
    }
}

/// Checks that an image file and a label file hold the same number of examples.
func checkCounts(images: Int, labels: Int, imagesPath: String, labelsPath: String) throws(DatasetError) {
    guard images == labels else {
        throw .countMismatch(imagesPath: imagesPath, labelsPath: labelsPath, images: images, labels: labels)
    }
}
