# syntax=docker/dockerfile:1

# Build: the same release command .ci/run builds and tests (static Swift runtime, so the
# runtime image needs no Swift toolchain). --strip-debug drops the DWARF (100 MB of a 190 MB
# binary) and keeps the symbol table, so a crash report still names its functions.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib -Xlinker --strip-debug --product stracker \
    && cp "$(swift build -c release --static-swift-stdlib -Xlinker --strip-debug --show-bin-path)/stracker" /stracker

# Run: slim Debian with SQLite, the C++ runtime and time zone data; a non-root user.
# No Docker engine runs in CI: tools/image_check.py builds this stage with debootstrap, carrying
# out its instructions as written (so the packages, the user and the ENV are tested from here),
# runs the binary in it and checks it; it stops on any instruction it cannot reproduce.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 libstdc++6 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 stracker \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin stracker \
    && mkdir -p /data /app \
    && chown 10001:10001 /data
COPY --from=build /stracker /app/stracker
COPY web /app/web
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    WEB_DIR=/app/web
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/app/stracker", "healthcheck"]
ENTRYPOINT ["/app/stracker"]
CMD ["serve"]
