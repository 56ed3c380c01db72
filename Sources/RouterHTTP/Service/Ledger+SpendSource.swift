import RouterCore
import UsageLedger

extension Ledger: SpendSource {}
