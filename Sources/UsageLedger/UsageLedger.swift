// The UsageLedger module. See ../shared/DESIGN.md for what lives here.
enum UsageLedgerModule {}
