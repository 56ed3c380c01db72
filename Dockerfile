# Multi-stage build of claude-router: a Swift builder, then a slim Debian runtime.
# The apt packages match .ci/run (build: libcurl4-openssl-dev, libsqlite3-dev; runtime: libcurl4, libsqlite3-0).
FROM swift:6.3-bookworm AS builder
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libcurl4-openssl-dev libsqlite3-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Plugins ./Plugins
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
COPY policies ./policies
RUN swift build -c release --product claude-router \
    && mkdir -p /out && cp "$(swift build -c release --show-bin-path)/claude-router" /out/

FROM debian:bookworm-slim
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libcurl4 libsqlite3-0 ca-certificates curl \
       libstdc++6 zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/claude-router --shell /usr/sbin/nologin router
# The Swift runtime libraries the binary links against.
COPY --from=builder /usr/lib/swift/linux/*.so* /usr/lib/swift/linux/
RUN echo /usr/lib/swift/linux > /etc/ld.so.conf.d/swift.conf && ldconfig
COPY --from=builder /out/claude-router /usr/local/bin/claude-router
COPY policies /etc/claude-router/policies
USER router
WORKDIR /var/lib/claude-router
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/claude-router"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--policies", "/etc/claude-router/policies", \
     "--db", "/var/lib/claude-router/ledger.sqlite"]
