/// 1-based ranks where tied values share the mean of the positions they occupy, and the size of
/// each group of tied values (groups of one included).
func averageRanks(_ values: [Double]) -> (ranks: [Double], tieGroups: [Int]) {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var groups: [Int] = []
    var start = 0
    while start < order.count {
        var end = start + 1
        while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
        let shared = Double(start + end + 1) / 2  // mean of positions start+1 ... end
        for position in start..<end { ranks[order[position]] = shared }
        groups.append(end - start)
        start = end
    }
    return (ranks, groups)
}
