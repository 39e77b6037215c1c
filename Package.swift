// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Numeric modules are compiled with optimisation even in debug builds, so that `swift test`
/// exercises real kernels at a usable speed. Release builds are unaffected.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// The vector instruction sets of the building machine, an x86-64 Linux host, as `/proc/cpuinfo`
/// reports them. `SMASH_PORTABLE=1` builds for any x86-64 instead (a binary for other machines);
/// `SMASH_VECTORS=avx2` builds for AVX2 and FMA on a host that has more.
enum HostVectors {
    /// No AVX2 and FMA (or not an x86-64 Linux host, or a portable build).
    case baseline
    /// AVX2 and FMA: 256-bit vectors.
    case avx2
    /// The vector extensions of the Zen 4 instruction set (its AVX-512 ones, GFNI, VAES,
    /// VPCLMULQDQ) on an AMD CPU (SSE4A), for which the kernels are compiled as for Zen 4:
    /// 512-bit vectors.
    case avx512

    static let detected: HostVectors = {
        #if os(Linux) && arch(x86_64)
        guard Context.environment["SMASH_PORTABLE"] != "1",
              let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return .baseline }
        let names = Set(flags.split(separator: " ").map(String.init))
        guard names.isSuperset(of: ["avx2", "fma"]) else { return .baseline }
        if Context.environment["SMASH_VECTORS"] == "avx2" { return .avx2 }
        let zen4 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx512ifma", "avx512vbmi", "avx512_vbmi2",
                    "avx512_bitalg", "avx512_vpopcntdq", "avx512_vnni", "avx512_bf16", "gfni", "vaes", "vpclmulqdq",
                    "sse4a"]
        return names.isSuperset(of: zen4) ? .avx512 : .avx2
        #else
        return .baseline
        #endif
    }()

    /// Kernels' vector loops use the widest registers the host has and fused multiply-adds
    /// (`SMASH_FMA`: fused SIMD operations are single instructions; `SMASH_AVX512`: 16-float
    /// vectors are one register).
    var settings: [SwiftSetting] {
        switch self {
        case .baseline: []
        case .avx2: [.unsafeFlags(["-target-cpu", "haswell"]), .define("SMASH_FMA")]
        case .avx512: [.unsafeFlags(["-target-cpu", "znver4"]), .define("SMASH_FMA"), .define("SMASH_AVX512")]
        }
    }
}

let hostVectorCode = HostVectors.detected.settings

let package = Package(
    name: "smash-swift",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "smash", targets: ["smash"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CThreads"),

        // Foundations shared by every layer.
        .target(name: "Randomness"),
        .target(name: "Hashing", dependencies: ["COpenSSL"]),
        .target(name: "Spelling"),

        // Numeric engine: kernels -> autodiff -> nn.
        .target(name: "Kernels", dependencies: ["CBLAS", "CMalloc", "CThreads"], swiftSettings: optimizedInDebug + hostVectorCode),
        .target(name: "Autodiff", dependencies: ["Kernels", "Randomness"], swiftSettings: optimizedInDebug),
        .target(name: "NN", dependencies: ["Autodiff", "Kernels", "Randomness"], swiftSettings: optimizedInDebug),

        // Data, artifacts and reports.
        .target(name: "DatasetIO", dependencies: [
            "CZlib", "Hashing", "Randomness", .product(name: "Yams", package: "Yams"),
        ], swiftSettings: optimizedInDebug),
        .target(name: "Artifacts", dependencies: ["CHDF5", "Hashing"]),
        .target(name: "Reports", dependencies: ["Randomness"]),

        // The method: search spaces, architectures, encoding, HyperNet, SMASH and resulting networks.
        .target(name: "SMASH", dependencies: ["Autodiff", "NN", "Kernels", "Randomness", "Hashing", "DatasetIO", "Spelling"],
                swiftSettings: optimizedInDebug),

        // Training loops over the engine and the data.
        .target(name: "Training", dependencies: ["NN", "Autodiff", "Kernels", "DatasetIO", "Artifacts", "Randomness"]),

        // Pipelines: specs, stage graph, content-addressed runs, result sets, and the stage kinds.
        .target(name: "Pipeline", dependencies: [
            "Artifacts", "Reports", "DatasetIO", "Hashing", "Randomness", "Autodiff", "NN", "Training", "SMASH", "Spelling",
            .product(name: "Yams", package: "Yams"),
        ]),

        // Throughput workloads for `smash bench`.
        .target(name: "Benchmarks", dependencies: ["Autodiff", "Kernels", "NN", "Randomness", "SMASH", "DatasetIO"]),

        // Command-line tool.
        .executableTarget(name: "smash", dependencies: [
            "Kernels", "Autodiff", "NN", "Randomness", "DatasetIO", "Artifacts", "Reports", "Benchmarks", "Training", "SMASH", "Pipeline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests mirror modules.
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "SpellingTests", dependencies: ["Spelling"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "Randomness"]),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "Kernels", "Randomness"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Autodiff", "Randomness"]),
        .testTarget(name: "DatasetIOTests", dependencies: ["DatasetIO", "Hashing", "Randomness"]),
        .testTarget(name: "ArtifactsTests", dependencies: ["Artifacts", "Hashing"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Randomness"]),
        .testTarget(name: "SMASHTests", dependencies: ["SMASH", "Autodiff", "NN", "Randomness", "DatasetIO"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "NN", "Autodiff", "Kernels", "DatasetIO", "Artifacts", "Randomness"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Artifacts", "DatasetIO", "Reports", "Randomness", "SMASH", "smash"]),
    ]
)
