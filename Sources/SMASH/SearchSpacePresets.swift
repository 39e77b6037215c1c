import Spelling

extension SearchSpace {
    /// The names `preset(named:)` accepts.
    public static let presetNames = ["v1-cifar", "v2-cifar", "v1-fmnist", "v2-fmnist"]

    /// A named preset.
    /// - Throws: `SMASHError.invalidOption` for an unknown name, suggesting the closest one.
    public static func preset(named name: String) throws(SMASHError) -> SearchSpace {
        switch name {
        case "v1-cifar": return .v1CIFAR
        case "v2-cifar": return .v2CIFAR
        case "v1-fmnist": return .v1FashionMNIST
        case "v2-fmnist": return .v2FashionMNIST
        default:
            throw .invalidOption(name: "space", found: "'\(name)'",
                                 expected: "one of \(presetNames.joined(separator: ", "))\(Suggestion.phrase(Suggestion.nearest(to: name, in: presetNames)))")
        }
    }

    /// The authors' code's op patterns for `--var-op` and their hand-set probabilities, which
    /// favour the full array as the paper says.
    public static let referenceOpConfigurations: [OpConfiguration] = [
        OpConfiguration(active: [true, false, false, false], weight: 0.05),
        OpConfiguration(active: [true, false, true, false], weight: 0.10),
        OpConfiguration(active: [true, true, false, false], weight: 0.15),
        OpConfiguration(active: [true, true, true, false], weight: 0.25),
        OpConfiguration(active: [true, true, true, true], weight: 0.45),
    ]

    /// SMASHv1 at paper scale (Sec. 4.1, App. A and C): banks of N = 6 channels (one fixed size),
    /// at most 240 banks per block, D = 3, widths 6…42 uniform, one 3x3 convolution with dilation
    /// 1…3 and one group, a fixed bottleneck ratio of 4. The paper does not give the stem, block
    /// input widths or budgets; those follow the authors' code, rounded to multiples of N·D.
    public static let v1CIFAR = SearchSpace(
        name: "v1-cifar",
        skeleton: Skeleton(structure: .single, unit: 6, maxWidth: 42, depthCompression: 3, bottleneck: .fixed,
                           bottleneckRatio: 4, maxBottleneckChannels: nil, bankSizes: [1], kernelSizes: [3],
                           maxDilation: 3, maxKernelExtent: 9, groupChoices: [1], stemKernel: 7,
                           blockInputChannels: [72, 96, 126], blockMaxChannels: [1440, 1440, 1440]),
        blockBudgetChannels: [828, 1632, 3186], minBudgetFraction: 0.3, maxBudgetFraction: 1,
        widthPrior: .uniform, opConfigurations: [OpConfiguration(active: [true, false, false, false], weight: 1)])

    /// SMASHv2 at paper scale (App. A): bank sizes multiples of N = 8 up to Nmax = 64, kernels
    /// 3/5/7 per axis, dilations up to an extent of 9, groups 1/2/4/8, the 2x2 op array with a
    /// preference for all four convolutions, bottleneck capped at ratio 2. Values the paper does not
    /// give (D = 2, stem, block widths, budgets, width prior) are the authors' code defaults.
    public static let v2CIFAR = SearchSpace(
        name: "v2-cifar",
        skeleton: Skeleton(structure: .array, unit: 8, maxWidth: 64, depthCompression: 2, bottleneck: .capped,
                           bottleneckRatio: 2, maxBottleneckChannels: nil, bankSizes: Array(1...8), kernelSizes: [3, 5, 7],
                           maxDilation: 4, maxKernelExtent: 9, groupChoices: [1, 2, 4, 8], stemKernel: 7,
                           blockInputChannels: [64, 96, 112], blockMaxChannels: [192, 224, 256]),
        blockBudgetChannels: [832, 1632, 3184], minBudgetFraction: 0.3, maxBudgetFraction: 1,
        widthPrior: .matchInput, opConfigurations: referenceOpConfigurations)

    /// SMASHv1 scaled for 1x28x28 images on two CPU cores: three blocks at 28/14/7 with 16, 32
    /// and 64 input channels, banks of N = 4 channels (one bank size, as in the paper's v1), widths
    /// 4…16 uniform, reads in multiples of D = 2 banks, one 3x3 convolution with dilation 1…3, a
    /// fixed bottleneck ratio of 2, and budgets that put few ops at 28x28 and more at 14x14 and
    /// 7x7 (about 1.2, 2.6 and 4.5 ops, 27k parameters and 5M multiply-adds per image for the
    /// median resulting network), so that one retrain epoch over 55k images takes about two
    /// minutes on one core.
    public static let v1FashionMNIST = SearchSpace(
        name: "v1-fmnist",
        skeleton: Skeleton(structure: .single, unit: 4, maxWidth: 16, depthCompression: 2, bottleneck: .fixed,
                           bottleneckRatio: 2, maxBottleneckChannels: nil, bankSizes: [1], kernelSizes: [3],
                           maxDilation: 3, maxKernelExtent: 9, groupChoices: [1], stemKernel: 3,
                           blockInputChannels: [16, 32, 64], blockMaxChannels: [64, 96, 128]),
        blockBudgetChannels: [24, 80, 224], minBudgetFraction: 0.3, maxBudgetFraction: 1,
        widthPrior: .uniform, opConfigurations: [OpConfiguration(active: [true, false, false, false], weight: 1)])

    /// SMASHv2 scaled for 1x28x28 images on two CPU cores: the v1-fmnist skeleton with bank sizes
    /// of 1, 2 or 4 units, kernels 3/5/7 per axis, dilations up to an extent of 9, groups 1/2/4
    /// (the factors of N), the 2x2 op array, the bottleneck capped at ratio 2, and smaller budgets
    /// for the costlier ops (about 0.5, 1.5 and 2.6 ops per block, 51k parameters and 6.5M
    /// multiply-adds per image for the median resulting network).
    public static let v2FashionMNIST = SearchSpace(
        name: "v2-fmnist",
        skeleton: Skeleton(structure: .array, unit: 4, maxWidth: 16, depthCompression: 2, bottleneck: .capped,
                           bottleneckRatio: 2, maxBottleneckChannels: nil, bankSizes: [1, 2, 4], kernelSizes: [3, 5, 7],
                           maxDilation: 4, maxKernelExtent: 9, groupChoices: [1, 2, 4], stemKernel: 3,
                           blockInputChannels: [16, 32, 64], blockMaxChannels: [64, 96, 128]),
        blockBudgetChannels: [16, 48, 128], minBudgetFraction: 0.3, maxBudgetFraction: 1,
        widthPrior: .matchInput, opConfigurations: referenceOpConfigurations)
}
