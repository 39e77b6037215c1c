import Kernels
import Synchronization

/// Remembers, for the convolutions of a network evaluated many times with the same weights, what
/// their forward passes compute from the weights alone (`KernelSpectra`), one memo per key the
/// caller chooses (a convolution's place in the network). Pass a key's memo to `conv2d`.
///
/// A memo checks that the weights and the geometry still match before it reuses anything, so it
/// never goes stale; it only pays off while they stay the same. The memos together hold at most
/// `floatLimit` floats: past it, convolutions run as without a memo. Thread-safe.
public final class ConvolutionMemos<Key: Hashable & Sendable>: Sendable {
    private let memos = Mutex<[Key: ConvolutionMemo]>([:])
    private let budget: MemoBudget

    /// The default limit: 64 Mi floats (256 MiB).
    public static var defaultFloatLimit: Int { 64 << 20 }

    public init(floatLimit: Int = defaultFloatLimit) {
        budget = MemoBudget(floats: floatLimit)
    }

    /// The memo of the convolution `key`, made on first use.
    public func memo(_ key: Key) -> ConvolutionMemo {
        memos.withLock { table in
            if let memo = table[key] { return memo }
            let memo = ConvolutionMemo(budget: budget)
            table[key] = memo
            return memo
        }
    }

    /// Floats the memos hold.
    public var floatCount: Int { budget.used }
}

/// One convolution's memo (`ConvolutionMemos`).
public final class ConvolutionMemo: Sendable {
    private let spectra = Mutex<KernelSpectra?>(nil)
    private let budget: MemoBudget

    fileprivate init(budget: MemoBudget) {
        self.budget = budget
    }

    /// y = conv(x, w) for `geometry`, with the weights' spectra kept from an earlier call with
    /// the same weights and geometry (`KernelSpectra`), or transformed and kept now where the
    /// Fourier path runs `geometry` and the budget allows; else as `conv2dForward` does.
    func forward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                 _ geometry: ConvGeometry) {
        let kept: KernelSpectra? = spectra.withLock { current in
            if let current, current.fits(w, geometry) { return current }
            budget.release(current?.floatCount ?? 0)
            current = nil
            guard let floats = KernelSpectra.floatCount(for: geometry), budget.reserve(floats) else { return nil }
            guard let fresh = KernelSpectra(w, geometry) else {
                budget.release(floats)
                return nil
            }
            current = fresh
            return fresh
        }
        if let kept {
            kept.forward(x, y, geometry)
        } else {
            conv2dForward(x, w, y, geometry)
        }
    }
}

/// Floats the memos of one `ConvolutionMemos` may still take.
private final class MemoBudget: Sendable {
    private let limit: Int
    private let taken = Mutex<Int>(0)

    init(floats: Int) {
        limit = floats
    }

    var used: Int { taken.withLock { $0 } }

    /// Takes `floats` if they fit under the limit.
    func reserve(_ floats: Int) -> Bool {
        taken.withLock { taken in
            guard taken + floats <= limit else { return false }
            taken += floats
            return true
        }
    }

    func release(_ floats: Int) {
        taken.withLock { $0 -= floats }
    }
}
