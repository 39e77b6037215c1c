import Foundation

/// A bad spec (or bad arguments) and what its error must say.
struct SpecErrorCase: CustomStringConvertible, Sendable {
    /// What is wrong, for the test's name.
    let label: String
    /// The spec text.
    let yaml: String
    /// `--set` arguments.
    var overrides: [String] = []
    /// The location the message must start with after the file path: `:line:column:`, or a
    /// full location such as `--set x=1:` for errors from arguments.
    let location: String
    /// Fragments the message must contain.
    let fragments: [String]

    var description: String { label }
}

/// A valid spec over the `blocks` test dataset that the cases below break one way each.
let validSpec = """
    pipeline: demo
    dataset: blocks
    stages:
      summary:
        run: dataset-summary
      centroid:
        run: nearest-centroid
        with: { subsets: 4, sizes: [1, 2] }
      curve:
        run: correlate
        needs: [centroid]
        with: { x: centroid.subsets.per_class, y: centroid.subsets.accuracy }
    expect:
      curve.pearson: { min: 0 }
    """

/// `validSpec` with the line that starts with `old` (after indentation) replaced by `new`.
func breaking(_ old: String, with new: String) -> String {
    validSpec.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        line.trimmingCharacters(in: .whitespaces).hasPrefix(old)
            ? String(line.prefix { $0 == " " }) + new : String(line)
    }.joined(separator: "\n")
}

let specErrorCases: [SpecErrorCase] = [
    SpecErrorCase(label: "YAML syntax error", yaml: breaking("with: { subsets: 4", with: "with: { subsets: 4, sizes: [1, 2 }"),
                  location: ":8:", fragments: ["not valid YAML"]),
    SpecErrorCase(label: "document is a list", yaml: "- pipeline\n- stages\n", location: ":1:1:",
                  fragments: ["'(document)' must be a mapping", "found a list"]),
    SpecErrorCase(label: "unknown top-level key", yaml: breaking("pipeline: demo", with: "pipline: demo"), location: ":1:1:",
                  fragments: ["unknown key 'pipline'", "did you mean 'pipeline'?"]),
    SpecErrorCase(label: "missing pipeline name", yaml: breaking("pipeline: demo", with: "description: no name"), location: ":1:1:",
                  fragments: ["'pipeline' is required but missing"]),
    SpecErrorCase(label: "wrong type of seed", yaml: breaking("dataset: blocks", with: "dataset: blocks\nseed: abc"), location: ":3:7:",
                  fragments: ["'seed' must be an integer, found the string 'abc'"]),
    SpecErrorCase(label: "negative seed", yaml: breaking("dataset: blocks", with: "dataset: blocks\nseed: -3"), location: ":3:7:",
                  fragments: ["'seed' is -3", "at least 0"]),
    SpecErrorCase(label: "empty stages", yaml: "pipeline: demo\nstages: {}\n", location: ":2:9:",
                  fragments: ["'stages' is empty", "at least one stage"]),
    SpecErrorCase(label: "stages as a list", yaml: "pipeline: demo\nstages: [summary]\n", location: ":2:9:",
                  fragments: ["'stages' must be a mapping of stage names to stages", "found a list"]),
    SpecErrorCase(label: "duplicate stage", yaml: breaking("expect:", with: "  summary:\n    run: dataset-summary\nexpect:"), location: ":13:3:",
                  fragments: ["'summary' is written more than once", "first written at"]),
    SpecErrorCase(label: "unknown stage key", yaml: breaking("needs: [centroid]", with: "nedes: [centroid]"), location: ":11:5:",
                  fragments: ["unknown key 'stages.curve.nedes'", "did you mean 'needs'?"]),
    SpecErrorCase(label: "missing run", yaml: breaking("run: dataset-summary", with: "with: {}"), location: ":5:5:",
                  fragments: ["'stages.summary.run' is required but missing"]),
    SpecErrorCase(label: "unknown stage kind", yaml: breaking("run: nearest-centroid", with: "run: nearest-centriod"), location: ":7:10:",
                  fragments: ["unknown stage kind 'nearest-centriod'", "did you mean 'nearest-centroid'?", "known kinds:"]),
    SpecErrorCase(label: "missing need", yaml: breaking("needs: [centroid]", with: "needs: [centriod]"), location: ":11:13:",
                  fragments: ["refers to the stage 'centriod'", "did you mean 'centroid'?"]),
    SpecErrorCase(label: "cycle", yaml: breaking("run: nearest-centroid", with: "run: nearest-centroid\n    needs: [curve]"),
                  location: ":8:13:", fragments: ["cycle: centroid -> curve -> centroid"]),
    SpecErrorCase(label: "stage needs itself", yaml: breaking("needs: [centroid]", with: "needs: [curve]"), location: ":11:13:",
                  fragments: ["cycle: curve -> curve"]),
    SpecErrorCase(label: "duplicate need", yaml: breaking("needs: [centroid]", with: "needs: [centroid, centroid]"),
                  location: ":11:23:", fragments: ["'stages.curve.needs[centroid]' is written more than once"]),
    SpecErrorCase(label: "unknown parameter", yaml: breaking("with: { subsets: 4", with: "with: { subset: 4, sizes: [1, 2] }"),
                  location: ":8:13:", fragments: ["unknown key 'stages.centroid.with.subset'", "did you mean 'subsets'?"]),
    SpecErrorCase(label: "wrong parameter type", yaml: breaking("with: { subsets: 4", with: "with: { subsets: many }"),
                  location: ":8:22:", fragments: ["'stages.centroid.with.subsets' must be an integer, found the string 'many'"]),
    SpecErrorCase(label: "out-of-range parameter", yaml: breaking("with: { subsets: 4", with: "with: { subsets: 0 }"),
                  location: ":8:22:", fragments: ["'stages.centroid.with.subsets' is 0", "an integer between 1 and 100000"]),
    SpecErrorCase(label: "parameter not among its choices", yaml: breaking("with: { subsets: 4", with: "with: { evaluateOn: tests }"),
                  location: ":8:25:", fragments: ["'stages.centroid.with.evaluateOn' is 'tests'", "did you mean 'test'?",
                                                  "one of train, validation, test"]),
    SpecErrorCase(label: "wrong type in a list", yaml: breaking("with: { subsets: 4", with: "with: { sizes: [1, two] }"),
                  location: ":8:24:", fragments: ["'stages.centroid.with.sizes[1]' must be an integer, found the string 'two'"]),
    SpecErrorCase(label: "unknown dataset", yaml: breaking("dataset: blocks", with: "dataset: blokcs"), location: ":2:10:",
                  fragments: ["unknown dataset 'blokcs'", "did you mean 'blocks'?"]),
    SpecErrorCase(label: "dataset for a kind that reads none", yaml: breaking("needs: [centroid]", with: "needs: [centroid]\n    dataset: blocks"),
                  location: ":12:14:", fragments: ["'stages.curve.dataset' is set", "stage kind 'correlate' reads none"]),
    SpecErrorCase(label: "no dataset for a kind that reads one", yaml: breaking("dataset: blocks", with: "description: no dataset"),
                  location: ":4:3:", fragments: ["stage 'summary' (dataset-summary) reads a dataset", "add 'dataset: NAME'"]),
    SpecErrorCase(label: "invalid stage name", yaml: breaking("summary:", with: "sum.mary:"), location: ":4:3:",
                  fragments: ["'stages.sum.mary' is 'sum.mary'", "no dots or spaces"]),
    SpecErrorCase(label: "column of a stage not needed", yaml: breaking("with: { x: centroid", with: "with: { x: summary.classes.count, y: centroid.subsets.accuracy }"),
                  location: ":12:16:", fragments: ["'stages.curve.with.x' is \"summary.classes.count\"", "does not need"]),
    SpecErrorCase(label: "expectation on an unknown stage", yaml: breaking("curve.pearson:", with: "crve.pearson: { min: 0 }"),
                  location: ":14:3:", fragments: ["refers to the stage 'crve'", "did you mean 'curve'?"]),
    SpecErrorCase(label: "expectation on an unknown metric", yaml: breaking("curve.pearson:", with: "curve.pearsn: { min: 0 }"),
                  location: ":14:3:", fragments: ["unknown key 'expect.curve.pearsn'", "did you mean 'curve.pearson'?"]),
    SpecErrorCase(label: "unknown expectation field", yaml: breaking("curve.pearson:", with: "curve.pearson: { mn: 0 }"),
                  location: ":14:20:", fragments: ["unknown key 'expect.curve.pearson.mn'", "did you mean 'min'?"]),
    SpecErrorCase(label: "expectation min above max", yaml: breaking("curve.pearson:", with: "curve.pearson: { min: 0.5, max: 0.2 }"),
                  location: ":14:35:", fragments: ["'expect.curve.pearson.max' is 0.2", "at least min (0.5)"]),
    SpecErrorCase(label: "expectation key without a metric", yaml: breaking("curve.pearson:", with: "curve: { min: 0 }"),
                  location: ":14:3:", fragments: ["'expect.curve' is 'curve'", "STAGE.METRIC"]),
    SpecErrorCase(label: "empty file", yaml: "", location: ":1:1:", fragments: ["'pipeline' is required but missing"]),
    SpecErrorCase(label: "--set with a bad path", yaml: validSpec, overrides: ["stages.centroid.wth.subsets=3"],
                  location: "--set stages.centroid.wth.subsets=3:", fragments: ["unknown key 'stages.centroid.wth.subsets'",
                                                                              "did you mean 'stages.centroid.with'?"]),
    SpecErrorCase(label: "--set with a bad value", yaml: validSpec, overrides: ["stages.centroid.with.subsets=abc"],
                  location: "--set stages.centroid.with.subsets=abc:",
                  fragments: ["'stages.centroid.with.subsets' must be an integer, found the string 'abc'"]),
    SpecErrorCase(label: "--set on an unknown stage", yaml: validSpec, overrides: ["stages.centriod.with.subsets=3"],
                  location: "--set stages.centriod.with.subsets=3:", fragments: ["stage 'centriod'", "did you mean 'centroid'?"]),
    SpecErrorCase(label: "--set of an unknown parameter", yaml: validSpec, overrides: ["stages.centroid.with.subset=3"],
                  location: "--set stages.centroid.with.subset=3:", fragments: ["unknown key 'stages.centroid.with.subset'",
                                                                             "did you mean 'subsets'?"]),
    SpecErrorCase(label: "--set out of range", yaml: validSpec, overrides: ["seed=-1"], location: "--set seed=-1:",
                  fragments: ["'seed' is -1"]),
    SpecErrorCase(label: "--set without a value", yaml: validSpec, overrides: ["seed"], location: "--set seed:",
                  fragments: ["expected PATH=VALUE"]),
]
