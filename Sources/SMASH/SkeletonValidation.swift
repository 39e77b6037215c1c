extension Skeleton {
    /// The largest channel count or unit a skeleton may use, which keeps all size arithmetic far
    /// from overflow.
    public static let sizeLimit = 1 << 16

    /// Throws the first field that makes the skeleton unusable, named as in a search-space file.
    public func validate() throws(SMASHError) {
        func fail(_ field: String, _ found: Any, _ expected: String) -> SMASHError {
            .invalidSpace(field: field, found: "\(found)", expected: expected)
        }
        let limit = Skeleton.sizeLimit
        guard (1...limit).contains(unit) else { throw fail("unit", unit, "in 1...\(limit)") }
        guard maxWidth >= unit, maxWidth <= limit, maxWidth % unit == 0 else {
            throw fail("maxWidth", maxWidth, "a multiple of unit (\(unit)) no larger than \(limit)")
        }
        guard (1...limit).contains(depthCompression) else { throw fail("depthCompression", depthCompression, "in 1...\(limit)") }
        guard (1...64).contains(bottleneckRatio) else { throw fail("bottleneckRatio", bottleneckRatio, "in 1...64") }
        if bottleneck == .reference, let cap = maxBottleneckChannels, cap < unit || cap % unit != 0 {
            throw fail("maxBottleneckChannels", cap, "a positive multiple of unit (\(unit))")
        }
        guard !bankSizes.isEmpty, Set(bankSizes).count == bankSizes.count,
              bankSizes.allSatisfy({ (1...maxUnits).contains($0) }) else {
            throw fail("bankSizes", bankSizes, "distinct sizes in 1...\(maxUnits) (maxWidth / unit)")
        }
        guard (1...255).contains(maxKernelExtent) else { throw fail("maxKernelExtent", maxKernelExtent, "in 1...255") }
        guard !kernelSizes.isEmpty, Set(kernelSizes).count == kernelSizes.count,
              kernelSizes.allSatisfy({ $0 >= 1 && $0 % 2 == 1 && $0 <= maxKernelExtent }) else {
            throw fail("kernelSizes", kernelSizes, "distinct odd sizes no larger than maxKernelExtent (\(maxKernelExtent))")
        }
        guard (1...255).contains(maxDilation) else { throw fail("maxDilation", maxDilation, "in 1...255") }
        guard !groupChoices.isEmpty, Set(groupChoices).count == groupChoices.count,
              groupChoices.allSatisfy({ $0 >= 1 && unit % $0 == 0 }) else {
            throw fail("groupChoices", groupChoices, "distinct factors of unit (\(unit))")
        }
        guard (1...255).contains(stemKernel), stemKernel % 2 == 1 else { throw fail("stemKernel", stemKernel, "an odd size up to 255") }
        guard (1...16).contains(blockInputChannels.count), blockInputChannels.allSatisfy({ $0 >= unit && $0 <= limit }) else {
            throw fail("blockInputChannels", blockInputChannels, "1 to 16 blocks, each with unit (\(unit)) to \(limit) channels")
        }
        guard blockMaxChannels.count == blockInputChannels.count,
              zip(blockMaxChannels, blockInputChannels).allSatisfy({ $0 >= $1 && $0 <= limit }) else {
            throw fail("blockMaxChannels", blockMaxChannels,
                       "one entry per block (\(blockInputChannels.count)), each from the block's input channels to \(limit)")
        }
        for block in 0..<blockCount where usableBankSizes(block: block).isEmpty {
            throw fail("bankSizes", bankSizes,
                       "to include a size whose banks block \(block)'s \(blockInputChannels[block]) input channels fill at least D/gcd(size, D) times")
        }
    }

    /// The first field in which `other` differs from this skeleton, as "field: mine vs theirs".
    func firstDifference(from other: Skeleton) -> String? {
        let mine = Mirror(reflecting: self).children, theirs = Mirror(reflecting: other).children
        for (a, b) in zip(mine, theirs) where "\(a.value)" != "\(b.value)" {
            return "\(a.label ?? "?") \(a.value) vs \(b.value)"
        }
        return nil
    }
}
