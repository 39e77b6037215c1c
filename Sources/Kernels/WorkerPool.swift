import CThreads
import Dispatch
import Foundation
import Synchronization

/// The threads that run the parts of the kernels' splits (`Parallelism.run`): the calling thread
/// and workers that spin for a while after each split before they sleep, so that the next split
/// finds them awake.
///
/// A training step makes 400-700 splits, most of them tens to hundreds of microseconds long;
/// Dispatch's `concurrentPerform` wakes a sleeping thread for each, which took about as long as
/// a 40 µs part, so such splits ran no faster than on one thread (two parts of 40 µs: 84 µs a
/// split, against 37 µs here). Parts go to whichever thread asks first, so a worker that is
/// still asleep only means the calling thread takes more of them. One split runs at a time: a
/// thread that finds the pool busy gets `false` from `run` and splits some other way.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long an idle worker spins before it sleeps: longer than the gaps between the splits
    /// of a training step, short against a pause between steps.
    static let spinNanoseconds: UInt64 = 200_000

    /// Where `nextPart` rests between splits: far past any split's parts, so that a worker that
    /// looks for parts late takes none.
    private static let closed = Int.max / 2

    private let busy = Atomic<Bool>(false)
    /// Bumped for every split, which is how spinning workers learn of it.
    private let generation = Atomic<Int>(0)
    private let nextPart = Atomic<Int>(closed)
    private let partCount = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let started = Mutex<Int>(0)
    /// The current split's work: written before `nextPart` opens the split, read only by a
    /// thread that took one of its parts.
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>

    private init() {
        lock = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
    }

    /// Calls `body(part)` for every part in `0..<parts` on this thread and up to `parts - 1`
    /// workers, and returns `true` when all are done; returns `false` at once, having run
    /// nothing, while another thread's split holds the pool.
    func run(parts: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        startWorkers(parts - 1)
        withoutActuallyEscaping(body) { body in
            job = body
            partCount.store(parts, ordering: .relaxed)
            unfinished.store(parts, ordering: .relaxed)
            nextPart.store(0, ordering: .releasing)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(lock)
                pthread_cond_broadcast(wake)
                pthread_mutex_unlock(lock)
            }
            takeParts()
            while unfinished.load(ordering: .acquiring) > 0 { smash_spin_hint() }
            nextPart.store(Self.closed, ordering: .relaxed)
            job = nil
        }
        return true
    }

    /// Runs parts of the current split until none is left.
    private func takeParts() {
        while true {
            let part = nextPart.add(1, ordering: .acquiringAndReleasing).oldValue
            guard part < partCount.load(ordering: .relaxed) else { return }
            runPart(part)
            unfinished.subtract(1, ordering: .releasing)
        }
    }

    /// Runs one part. A function of its own, so that this thread lets go of the work before the
    /// part counts as finished: the splitting thread checks that the work did not escape.
    @inline(never)
    private func runPart(_ part: Int) {
        job?(part)
    }

    /// Starts workers until there are `count`.
    private func startWorkers(_ count: Int) {
        started.withLock { running in
            while running < count {
                let thread = Thread { [self] in work() }
                thread.name = "smash kernels \(running + 1)"
                thread.start()
                running += 1
            }
        }
    }

    /// A worker's life: take the parts of each split, spin for the next, sleep when none comes.
    private func work() {
        var seen = generation.load(ordering: .acquiring)
        while true {
            let idleSince = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                smash_spin_hint()
                spins &+= 1
                if spins & 255 == 0, DispatchTime.now().uptimeNanoseconds - idleSince > Self.spinNanoseconds {
                    sleep(whileAt: seen)
                }
            }
            seen = generation.load(ordering: .acquiring)
            takeParts()
        }
    }

    /// Blocks until the generation moves past `seen`. The sleeper count is raised before the
    /// generation is read again under the lock, and a split bumps the generation before it reads
    /// the count, so a split either finds the sleeper or the sleeper finds the split.
    private func sleep(whileAt seen: Int) {
        pthread_mutex_lock(lock)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(wake, lock) }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(lock)
    }
}
