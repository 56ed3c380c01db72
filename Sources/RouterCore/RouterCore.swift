// The RouterCore module. See ../shared/DESIGN.md for what lives here.
enum RouterCoreModule {}
