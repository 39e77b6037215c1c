import Randomness

/// Random training-time transformations, each switchable: pad-and-random-crop and horizontal flip.
///
/// Padding adds `padding` zero pixels on every side and crops an image of the original size at a
/// uniformly random offset, i.e. shifts the image by -padding...padding pixels in each direction.
/// On normalised data zero is the channel mean. The flip mirrors left-right with probability 1/2.
public struct Augmentation: Codable, Sendable, Hashable {
    /// Pixels of zero padding for the random crop; 0 turns cropping off.
    public var padding: Int
    /// Whether to mirror images left-right at random.
    public var horizontalFlip: Bool

    /// An augmentation that leaves images unchanged.
    public static let none = Augmentation()

    /// An augmentation with the given switches (both off by default).
    public init(padding: Int = 0, horizontalFlip: Bool = false) {
        self.padding = padding
        self.horizontalFlip = horizontalFlip
    }

    /// Whether `apply` leaves images unchanged.
    public var isIdentity: Bool { padding == 0 && !horizontalFlip }

    /// Checks the switches against an image shape.
    public func validate(for shape: ImageShape) throws(DatasetError) {
        guard padding >= 0, padding < max(shape.height, shape.width) else {
            throw .invalidArgument(name: "augmentation padding",
                                   reason: "must lie in 0..<\(max(shape.height, shape.width)), not \(padding)")
        }
    }

    /// Augments `count` consecutive images in place, drawing from `generator`: per image, the crop
    /// row and column offsets (when padding > 0), then the flip (when enabled).
    /// - Parameter scratch: room for one image (`shape.pixelCount` floats).
    public func apply(to images: UnsafeMutablePointer<Float>, count: Int, shape: ImageShape,
                      generator: inout SeededGenerator, scratch: UnsafeMutablePointer<Float>) {
        guard !isIdentity else { return }
        let size = shape.pixelCount
        for n in 0..<count {
            let shiftY = padding > 0 ? generator.int(below: 2 &* padding &+ 1) &- padding : 0
            let shiftX = padding > 0 ? generator.int(below: 2 &* padding &+ 1) &- padding : 0
            let flip = horizontalFlip && generator.bernoulli(0.5)
            let image = images + n &* size
            scratch.update(from: image, count: size)
            Augmentation.shiftAndFlip(scratch, image, shape: shape, shiftY: shiftY, shiftX: shiftX, flip: flip)
        }
    }

    /// The deterministic core: `y[c][i][j] = x[c][i + shiftY][j' + shiftX]`, with `j' = W - 1 - j`
    /// when `flip`, and 0 where the source lies outside the image. A crop at offset (oy, ox) of the
    /// image padded by p is the shift (oy - p, ox - p).
    public static func shiftAndFlip(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, shape: ImageShape,
                                    shiftY: Int, shiftX: Int, flip: Bool) {
        let height = shape.height, width = shape.width
        for c in 0..<shape.channels {
            let source = x + c &* shape.planeSize
            let target = y + c &* shape.planeSize
            for i in 0..<height {
                let row = target + i &* width
                let sourceRow = i &+ shiftY
                guard sourceRow >= 0, sourceRow < height else {
                    row.update(repeating: 0, count: width)
                    continue
                }
                let input = source + sourceRow &* width
                for j in 0..<width {
                    let column = (flip ? width &- 1 &- j : j) &+ shiftX
                    row[j] = column >= 0 && column < width ? input[column] : 0
                }
            }
        }
    }
}
