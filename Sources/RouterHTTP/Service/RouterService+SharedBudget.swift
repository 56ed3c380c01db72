public import RouterCore

extension RouterService {
    /// Makes budget admissions check and reserve in `store`, which every replica on the same database shares
    /// (`serve --db postgres://…`), so that a hard budget holds across replicas. Call it before serving.
    public func shareBudgetHolds(_ store: any SharedBudgetHolds) { holds.share(with: store) }
}
