// The PolicyYAML module. See ../shared/DESIGN.md for what lives here.
enum PolicyYAMLModule {}
