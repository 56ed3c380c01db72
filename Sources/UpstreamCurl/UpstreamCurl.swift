// The UpstreamCurl module. See ../shared/DESIGN.md for what lives here.
enum UpstreamCurlModule {}
