import Randomness
import Testing
@testable import DatasetIO

@Suite struct AugmentationTests {
    let shape = ImageShape(channels: 1, height: 3, width: 3)
    let image: [Float] = [1, 2, 3,
                          4, 5, 6,
                          7, 8, 9]

    func transformed(shiftY: Int, shiftX: Int, flip: Bool, shape: ImageShape? = nil, image: [Float]? = nil) -> [Float] {
        let source = image ?? self.image
        var out = [Float](repeating: -1, count: source.count)
        source.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                guard let from = x.baseAddress, let to = y.baseAddress else { return }
                Augmentation.shiftAndFlip(from, to, shape: shape ?? self.shape, shiftY: shiftY, shiftX: shiftX, flip: flip)
            }
        }
        return out
    }

    @Test func identity() {
        #expect(transformed(shiftY: 0, shiftX: 0, flip: false) == image)
    }

    @Test func horizontalFlip() {
        #expect(transformed(shiftY: 0, shiftX: 0, flip: true) == [3, 2, 1, 6, 5, 4, 9, 8, 7])
    }

    @Test func cropOfPaddedImage() {
        // Padding 1 then cropping at offset (2, 0) shows rows 1...3 and columns -1...1 of the original.
        #expect(transformed(shiftY: 1, shiftX: -1, flip: false) == [0, 4, 5, 0, 7, 8, 0, 0, 0])
        #expect(transformed(shiftY: -1, shiftX: 1, flip: false) == [0, 0, 0, 2, 3, 0, 5, 6, 0])
    }

    @Test func cropThenFlip() {
        #expect(transformed(shiftY: 0, shiftX: 1, flip: true) == [0, 3, 2, 0, 6, 5, 0, 9, 8])
    }

    @Test func everyChannelMovesTogether() {
        let twoChannels = ImageShape(channels: 2, height: 3, width: 3)
        let out = transformed(shiftY: 1, shiftX: 0, flip: true, shape: twoChannels, image: image + image.map { $0 * 10 })
        #expect(out == [6, 5, 4, 9, 8, 7, 0, 0, 0, 60, 50, 40, 90, 80, 70, 0, 0, 0])
    }

    /// All 18 outcomes of padding 1 + flip, so a random draw can be checked against them.
    var allOutcomes: [[Float]] {
        (-1...1).flatMap { dy in (-1...1).flatMap { dx in [false, true].map { transformed(shiftY: dy, shiftX: dx, flip: $0) } } }
    }

    func augment(_ images: [Float], count: Int, augmentation: Augmentation, seed: UInt64) -> [Float] {
        var out = images
        var scratch = [Float](repeating: 0, count: shape.pixelCount)
        var generator = SeededGenerator(seed: seed)
        out.withUnsafeMutableBufferPointer { buffer in
            scratch.withUnsafeMutableBufferPointer { room in
                guard let base = buffer.baseAddress, let spare = room.baseAddress else { return }
                augmentation.apply(to: base, count: count, shape: shape, generator: &generator, scratch: spare)
            }
        }
        return out
    }

    @Test func randomAugmentationIsSeededAndValid() {
        let batch = Array(repeating: image, count: 40).flatMap { $0 }
        let augmentation = Augmentation(padding: 1, horizontalFlip: true)
        let first = augment(batch, count: 40, augmentation: augmentation, seed: 11)
        #expect(first == augment(batch, count: 40, augmentation: augmentation, seed: 11))
        #expect(first != augment(batch, count: 40, augmentation: augmentation, seed: 12))
        let outcomes = allOutcomes
        let results = (0..<40).map { Array(first[$0 * 9 ..< ($0 + 1) * 9]) }
        #expect(results.allSatisfy { outcomes.contains($0) })
        #expect(Set(results.map { $0.description }).count > 5)
    }

    @Test func switchesTurnTransformsOff() {
        let batch = Array(repeating: image, count: 20).flatMap { $0 }
        #expect(augment(batch, count: 20, augmentation: .none, seed: 1) == batch)
        let flipsOnly = augment(batch, count: 20, augmentation: Augmentation(horizontalFlip: true), seed: 1)
        let flipped = transformed(shiftY: 0, shiftX: 0, flip: true)
        #expect((0..<20).allSatisfy { Array(flipsOnly[$0 * 9 ..< ($0 + 1) * 9]) == image || Array(flipsOnly[$0 * 9 ..< ($0 + 1) * 9]) == flipped })
        let cropsOnly = augment(batch, count: 20, augmentation: Augmentation(padding: 1), seed: 1)
        let unflipped = (-1...1).flatMap { dy in (-1...1).map { transformed(shiftY: dy, shiftX: $0, flip: false) } }
        #expect((0..<20).allSatisfy { unflipped.contains(Array(cropsOnly[$0 * 9 ..< ($0 + 1) * 9])) })
        #expect(throws: DatasetError.self) { try Augmentation(padding: -1).validate(for: shape) }
    }
}
