// The RouterHTTP module. See ../shared/DESIGN.md for what lives here.
enum RouterHTTPModule {}
