extension StageRegistry {
    /// The stage kinds of this package, the ones `smash` offers.
    public static let standard = StageRegistry([
        DatasetSummaryStage.self,
        NearestCentroidStage.self,
        CorrelateStage.self,
        TrainBaselineStage.self,
    ])
}
