extension StageRegistry {
    /// The stage kinds of this package, the ones `smash` offers.
    public static let standard = StageRegistry([
        DatasetSummaryStage.self,
        NearestCentroidStage.self,
        CorrelateStage.self,
        CompareStage.self,
        TrainBaselineStage.self,
        TrainSmashStage.self,
        SampleStage.self,
        ScoreStage.self,
        SelectStage.self,
        PerturbStage.self,
        RetrainStage.self,
        TransferEvaluateStage.self,
    ])
}
