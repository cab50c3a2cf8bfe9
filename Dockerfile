# syntax=docker/dockerfile:1.7
# Build: docker build -t smm .
# The binary links only against libc (rustls, bundled SQLite), so a distroless base suffices.

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin smm \
    && cp target/release/smm /usr/local/bin/smm

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/smm /usr/local/bin/smm
ENV SMM_LISTEN_ADDR=0.0.0.0:8080 \
    SMM_LOG_FORMAT=json
EXPOSE 8080
# 65532 is distroless's "nonroot"; numeric so that Kubernetes can verify runAsNonRoot.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/smm"]
CMD ["serve"]
