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
/// a 40 µs part, so such splits ran no faster than on one thread (two parts of about 40 µs:
/// 84 µs a split, against about 40 µs, one part's time, here). Parts go to whichever thread
/// claims them first, so a worker that is still asleep only means that the others take more.
/// One split runs at a time.
///
/// Workers spin only while there are no more threads than processors (with more, a spinning
/// thread would take a processor from a working one), and the splitting thread, once its parts
/// are done, spins for the others' as long and then sleeps.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long an idle worker spins before it sleeps: longer than the gaps between the splits
    /// of a training step, short against a pause between steps.
    static let spinNanoseconds: UInt64 = 200_000
    /// How long the splitting thread, its parts done, spins for the others' before it sleeps:
    /// longer than the parts of a training step's splits differ, short against scoring's splits
    /// of whole forward passes.
    static let waitSpinNanoseconds: UInt64 = 2_000_000

    /// Where `nextPart` rests between splits: far past any split's parts, so that a claim made
    /// after a split's parts ran out gets none until the next split opens.
    private static let closed = Int.max / 2

    private let busy = Atomic<Bool>(false)
    /// Bumped for every split, which is how spinning workers learn of it.
    private let generation = Atomic<Int>(0)
    private let nextPart = Atomic<Int>(closed)
    private let partCount = Atomic<Int>(0)
    /// Threads that may take the current split's parts: the splitting thread and the workers
    /// numbered below this (workers started for a larger thread count sit such a split out).
    private let participants = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    /// Threads inside `takeParts`: a split does not end while one may still compare a claim
    /// with its part count, which the next split changes.
    private let claiming = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let splitterSleeps = Atomic<Bool>(false)
    private let workers = Mutex<Int>(0)
    /// The current split's work: written before `nextPart` opens the split, read only by a
    /// thread that claimed one of its parts.
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private let finished: UnsafeMutablePointer<pthread_cond_t>

    private init() {
        lock = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        finished = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(finished, nil)
    }

    /// Calls `body(part)` for every part in `0..<parts`, on this thread and up to `threads - 1`
    /// workers (each claiming the next part until none is left), and returns `true` when all are
    /// done. Returns `false` at once, having run nothing, while a split holds the pool: another
    /// thread's, or this thread's own when a part splits again. `body` runs on several threads at
    /// once: each call must touch memory of its own.
    func run(parts: Int, threads: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        let threads = min(parts, threads)
        startWorkers(threads - 1)
        withoutActuallyEscaping(body) { body in
            job = body
            participants.store(threads, ordering: .relaxed)
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
            waitForParts()
            nextPart.store(Self.closed, ordering: .sequentiallyConsistent)
            while claiming.load(ordering: .sequentiallyConsistent) > 0 { smash_spin_hint() }
            job = nil
        }
        return true
    }

    /// Claims and runs parts of the current split until none is left.
    private func takeParts() {
        claiming.add(1, ordering: .sequentiallyConsistent)
        defer { claiming.subtract(1, ordering: .sequentiallyConsistent) }
        while true {
            let part = nextPart.add(1, ordering: .sequentiallyConsistent).oldValue
            guard part < partCount.load(ordering: .relaxed) else { return }
            runPart(part)
            if unfinished.subtract(1, ordering: .sequentiallyConsistent).newValue == 0,
               splitterSleeps.load(ordering: .sequentiallyConsistent) {
                pthread_mutex_lock(lock)
                pthread_cond_signal(finished)
                pthread_mutex_unlock(lock)
            }
        }
    }

    /// Runs one part. A function of its own, so that this thread lets go of the work before the
    /// part counts as finished: the splitting thread checks, as the split ends, that nothing
    /// holds on to the work (`withoutActuallyEscaping`).
    @inline(never)
    private func runPart(_ part: Int) {
        guard let job else { preconditionFailure("a part was claimed outside a split") }
        job(part)
    }

    /// Waits until every claimed part has run: spinning, then asleep.
    private func waitForParts() {
        let (since, limit) = (DispatchTime.now().uptimeNanoseconds, spinLimit == 0 ? 0 : Self.waitSpinNanoseconds)
        var spins = 0
        while unfinished.load(ordering: .acquiring) > 0 {
            smash_spin_hint()
            spins &+= 1
            guard spins & 255 == 0, DispatchTime.now().uptimeNanoseconds - since > limit else { continue }
            pthread_mutex_lock(lock)
            splitterSleeps.store(true, ordering: .sequentiallyConsistent)
            while unfinished.load(ordering: .sequentiallyConsistent) > 0 { pthread_cond_wait(finished, lock) }
            splitterSleeps.store(false, ordering: .sequentiallyConsistent)
            pthread_mutex_unlock(lock)
        }
    }

    /// The processors this process may run on, read once: on Linux, Foundation reads the
    /// cgroup's CPU quota from files on every call, which took a file read per split.
    private static let processors = ProcessInfo.processInfo.activeProcessorCount

    /// How long threads spin before they sleep: `spinNanoseconds` while the workers and the
    /// splitting thread fit on the processors, else not at all.
    private var spinLimit: UInt64 {
        workers.withLock { $0 } < Self.processors ? Self.spinNanoseconds : 0
    }

    /// Starts workers until there are `count`.
    private func startWorkers(_ count: Int) {
        workers.withLock { running in
            while running < count {
                let number = running + 1
                let thread = Thread { [self] in work(number: number) }
                thread.name = "smash kernels \(number)"
                thread.start()
                running += 1
            }
        }
    }

    /// A worker's life: claim the parts of each split it may take part in (`participants`), spin
    /// for the next, sleep when none comes.
    private func work(number: Int) {
        var seen = generation.load(ordering: .acquiring)
        while true {
            let (idleSince, limit) = (DispatchTime.now().uptimeNanoseconds, spinLimit)
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                smash_spin_hint()
                spins &+= 1
                if spins & 255 == 0, DispatchTime.now().uptimeNanoseconds - idleSince > limit {
                    sleep(whileAt: seen)
                }
            }
            seen = generation.load(ordering: .acquiring)
            if number < participants.load(ordering: .relaxed) { takeParts() }
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
