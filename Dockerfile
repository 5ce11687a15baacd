# syntax=docker/dockerfile:1
#
# Orchestrator image.
#   docker build -t orchestrator .
#   docker run --rm -p 8003:8003 -e WRITER_URL=http://writer:8000/health orchestrator
#   docker run --rm -p 8003:8003 orchestrator --demo        # self-contained demo
#   docker run … -e CLUSTER_HOST=… -e CLUSTER_MEMBERS=… orchestrator --cluster   # one node of a
#                                                           # cluster (README, "Cluster mode")
#
# Configuration: /app/conf/config.yaml (copied from conf/; mount another file over it or set
# ORCHESTRATOR_CONFIG_FILE), then environment variables (-e / --env-file). Inside a container
# "localhost" is the container itself, so point WRITER_URL, RESEARCH_URL, BACKEND_URL (or the
# services list) at the real hosts.

# The base images: the official ones by default; scripts/container-bases makes local stand-ins.
ARG BUILD_BASE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_BASE=eclipse-temurin:17-jre

############################ build stage ############################
FROM ${BUILD_BASE} AS build
WORKDIR /build

# Certificate authorities this host added locally (ca-certificates/*.crt, copied there by the
# build script from /usr/local/share/ca-certificates): behind a TLS-intercepting proxy Maven
# trusts nothing else. Only this stage gets them; the image does not.
# Debian's JDK reads the system store update-ca-certificates writes; another JDK (Temurin's) has a
# store of its own, which keytool extends (on Debian it reports the certificate as present).
COPY ca-certificates/ /usr/local/share/ca-certificates/
RUN update-ca-certificates \
 && for crt in /usr/local/share/ca-certificates/*.crt; do \
      [ -e "$crt" ] || continue; \
      keytool -importcert -noprompt -cacerts -storepass changeit \
        -alias "local-$(basename "$crt" .crt)" -file "$crt" >/dev/null 2>&1 || true; \
    done

# Dependencies and plugins first, in their own layer: it is rebuilt only when pom.xml changes.
# go-offline does not fetch what plugins resolve lazily (e.g. Spotless's google-java-format):
# measured with a cold repository, ~50 MB land in this layer and the package step below
# fetches the remaining ~28 MB on every source change.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline

COPY src ./src
COPY conf ./conf
RUN mvn -B -q package -DskipTests

############################ runtime stage ############################
FROM ${RUNTIME_BASE}

# A fixed, non-root uid/gid, so mounted files can be given to it explicitly.
RUN groupadd --system --gid 10001 orchestrator \
 && useradd --system --uid 10001 --gid orchestrator --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin orchestrator

WORKDIR /app
COPY --from=build /build/target/orchestrator.jar /app/orchestrator.jar
COPY --from=build /build/conf/ /app/conf/
# The JVM options live outside conf/, so mounting a config directory over /app/conf keeps them.
COPY --from=build /build/conf/jvm.options /app/jvm.options
# Statistics, history and circuit states are written here (DATA_DIR=data, relative to /app);
# mount a volume to keep them across container replacements.
RUN mkdir -p /app/data && chown orchestrator:orchestrator /app/data

# A class data sharing archive from a training run with this image's own JVM: start-up to the
# first answer takes about half as long. Best effort: a failed training run only costs that gain.
COPY scripts/cds-archive /tmp/cds-archive
RUN (bash /tmp/cds-archive /app/orchestrator.jar /app/orchestrator.jsa /app/jvm.options \
      || echo "no class data sharing archive; the service starts without it") \
 && rm -f /tmp/cds-archive
VOLUME ["/app/data"]

# Only LOG_LEVEL is set here. The service's own keys (HTTP_PORT, HTTP_HOST, *_URL, ...) are
# deliberately NOT set with ENV: environment variables outrank conf/config.yaml, so an ENV line
# would silently override a mounted config file. Their defaults (0.0.0.0:8003, ...) are built in.
ENV LOG_LEVEL=INFO
# Fewer glibc malloc arenas: less resident memory for a JVM that allocates on its own heap.
ENV MALLOC_ARENA_MAX=2

USER orchestrator:orchestrator
# 8003: the HTTP API. 5701: Hazelcast, in cluster mode only (`docker run … orchestrator --cluster`
# with CLUSTER_HOST set to the container's address and CLUSTER_MEMBERS to its peers; set
# CLUSTER_EVENTBUS_PORT too when the event bus between nodes must cross a published port).
EXPOSE 8003 5701

# The JRE image has no curl or wget. Rather than installing curl (an extra package, its
# dependencies and a larger attack surface in every image), bash's /dev/tcp sends a plain
# HTTP request to GET /health and the check passes only on a "200" status line. It follows
# HTTP_PORT if that is changed through the environment (not if changed only in config.yaml).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HTTP_PORT:-8003} && printf 'GET /health HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# Open files: every API connection (at most HTTP_MAX_CONNECTIONS), every probed service and the
# state file take a descriptor, and the service warns at start-up when its limit is too low. Docker's
# default is usually generous; where it is not, run with `--ulimit nofile=65536:65536`.
# SIGTERM (docker stop) shuts the service down cleanly; java is PID 1 and gets it directly.
# JVM options: /app/jvm.options (heap and collector, see conf/jvm.options); JDK_JAVA_OPTIONS is
# read by java itself but comes before the argument file, so to change the heap for a very large
# fleet override the entry point or mount another /app/jvm.options.
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:SharedArchiveFile=/app/orchestrator.jsa", \
            "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/app/orchestrator.jar"]
