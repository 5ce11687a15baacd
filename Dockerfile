# syntax=docker/dockerfile:1
#
# Orchestrator image: a jlink runtime with only the modules the jar needs, its class data sharing
# archives, bash (for the health check) and the C libraries they link, on an empty base.
#   docker build -t orchestrator .      (podman build: add --format docker, which keeps HEALTHCHECK)
#   docker run --rm -p 8003:8003 -e WRITER_URL=http://writer:8000/health orchestrator
#   docker run --rm -p 8003:8003 orchestrator --demo        # self-contained demo
#   docker run … -e CLUSTER_HOST=… -e CLUSTER_MEMBERS=… orchestrator --cluster   # one node of a
#                                                           # cluster (README, "Cluster mode")
# On a host without a registry: scripts/container-bases, then scripts/container-build (README,
# "Containers").
#
# Configuration: /app/conf/config.yaml and /app/conf/services.yaml (copied from conf/; mount
# others over them or set ORCHESTRATOR_CONFIG_FILE), then environment variables (-e / --env-file).
# Inside a container "localhost" is the container itself, so point WRITER_URL, RESEARCH_URL,
# BACKEND_URL (or the services list) at the real hosts.

# The build image: a JDK 17 with jlink, jdeps and jmods, and Maven. The official one by default;
# scripts/container-bases makes a local stand-in (Debian's JDK, with its jmods, and Maven).
ARG BUILD_BASE=maven:3.9-eclipse-temurin-17

############################ build stage ############################
FROM ${BUILD_BASE} AS build
WORKDIR /build

# Certificate authorities this host added locally (ca-certificates/*.crt, copied there by
# scripts/container-build from /usr/local/share/ca-certificates): behind a TLS-intercepting proxy
# Maven trusts nothing else. Only this stage gets them, never the image.
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
RUN mvn -B -q package -DskipTests -Djacoco.skip=true

############################ runtime stage ############################
# Everything the image holds is put together here, at the paths it has in the image (the class
# data sharing archive records them), then copied alone onto an empty base.
FROM ${BUILD_BASE} AS runtime
ENV PATH=/opt/java/bin:$PATH
COPY --from=build /build/target/orchestrator.jar /app/orchestrator.jar
COPY --from=build /build/conf/ /app/conf/
# The JVM options live outside conf/, so mounting a config directory over /app/conf keeps them.
COPY --from=build /build/conf/jvm.options /app/jvm.options

# The modules jdeps finds in the jar, and those it cannot see: what is reached by reflection or
# service loading (Netty's and Hazelcast's use of sun.misc.Unsafe in jdk.unsupported, elliptic
# curve TLS for https probes in jdk.crypto.ec, Hazelcast's and Micrometer's JVM metrics in
# java.management and jdk.management, DNS for JNDI in jdk.naming.dns, the charsets beyond the
# standard six in jdk.charsets). --strip-java-debug-attributes rather than --strip-debug, which
# also strips native symbols with objcopy (binutils, not in every JDK image; Debian's libraries
# come stripped). --compress=2: the class files of lib/modules zipped (51 MB to about half); the
# classes a start-up loads come from the archives below, mapped, not from there.
# --generate-cds-archive writes the JDK classes' archive, which the application archive below
# extends; without it that archive cannot be used. Removed: that archive's twin for heaps over
# 32 GB (no compressed pointers), and java.desktop's native libraries (drawing, fonts, images,
# sound, which a headless service never loads), which would bring a dozen C libraries along.
RUN modules="$(jdeps --ignore-missing-deps -q --multi-release 17 --print-module-deps \
                 /app/orchestrator.jar)" \
 && echo "jdeps: $modules" \
 && jlink --add-modules "$modules,jdk.unsupported,jdk.crypto.ec,java.management,jdk.management,jdk.naming.dns,jdk.charsets" \
      --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 \
      --generate-cds-archive --output /opt/java \
 && rm -f /opt/java/lib/server/classes_nocoops.jsa \
      /opt/java/lib/libawt_xawt.so /opt/java/lib/libfontmanager.so /opt/java/lib/libjavajpeg.so \
      /opt/java/lib/liblcms.so /opt/java/lib/libjsound.so /opt/java/lib/libsplashscreen.so \
      /opt/java/lib/libmlib_image.so /opt/java/lib/libawt.so /opt/java/lib/libawt_headless.so \
 && java --list-modules | tr '\n' ' '

# A class data sharing archive from a training run with this runtime: start-up to the first
# answer takes about half as long (docs/benchmarks.md). Best effort: a failed training run only
# costs that gain.
COPY scripts/cds-archive /tmp/cds-archive
RUN bash /tmp/cds-archive /app/orchestrator.jar /app/orchestrator.jsa /app/jvm.options \
 || echo "no class data sharing archive; the service starts without it"

# The root file system: the runtime, the application, bash and the shared libraries all of them
# link (as ldd resolves them here), a non-root user with a fixed uid/gid (so mounted files can be
# given to it explicitly), /tmp, and the data directory. /bin, /lib and /lib64 link into /usr as
# on Debian, so the interpreter path the binaries carry resolves.
RUN set -e; root=/rootfs; \
    mkdir -p $root/usr/bin $root/usr/lib $root/usr/lib64 $root/etc $root/tmp $root/opt $root/app/data; \
    ln -s usr/bin $root/bin; ln -s usr/lib $root/lib; ln -s usr/lib64 $root/lib64; \
    chmod 1777 $root/tmp; chown 10001:10001 $root/app/data; \
    cp -a /opt/java $root/opt/java; cp -a /app/. $root/app/; \
    cp "$(command -v bash)" $root/usr/bin/bash; \
    for file in $root/usr/bin/bash $(find /opt/java -type f \( -name '*.so' -o -path '*/bin/*' \)); do \
      ldd "$file" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/[^ ]*ld-linux/ { print $1 }'; \
    done | sort -u | while read -r lib; do \
      case "$lib" in /opt/java/*) continue ;; esac; \
      target="$root/usr${lib#/usr}"; \
      mkdir -p "$(dirname "$target")"; cp -L "$lib" "$target"; \
    done; \
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\norchestrator:x:10001:10001:orchestrator:/app:/usr/sbin/nologin\n' > $root/etc/passwd; \
    printf 'root:x:0:\norchestrator:x:10001:\n' > $root/etc/group; \
    du -sh $root

############################ image ############################
FROM scratch
COPY --from=runtime /rootfs/ /
WORKDIR /app
# Statistics, history and circuit states are written to /app/data (DATA_DIR=data, relative to
# /app); mount a volume to keep them across container replacements.
VOLUME ["/app/data"]

# Only LOG_LEVEL is set here. The service's own keys (HTTP_PORT, HTTP_HOST, *_URL, ...) are
# deliberately NOT set with ENV: environment variables outrank conf/config.yaml, so an ENV line
# would silently override a mounted config file. Their defaults (0.0.0.0:8003, ...) are built in.
ENV PATH=/opt/java/bin:/usr/bin LOG_LEVEL=INFO
# Fewer glibc malloc arenas: less resident memory for a JVM that allocates on its own heap.
ENV MALLOC_ARENA_MAX=2

USER 10001:10001
# 8003: the HTTP API. 5701: Hazelcast, in cluster mode only (`docker run … orchestrator --cluster`
# with CLUSTER_HOST set to the container's address and CLUSTER_MEMBERS to its peers; set
# CLUSTER_EVENTBUS_PORT too when the event bus between nodes must cross a published port).
EXPOSE 8003 5701

# No curl or wget in the image, and no other program but bash and java: bash's /dev/tcp sends a
# plain HTTP request to GET /health and the check passes only on a "200" status line, read with
# bash's own `read` (bounded at 4 s). It follows HTTP_PORT if that is changed through the
# environment (not if changed only in config.yaml).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HTTP_PORT:-8003} && printf 'GET /health HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS= read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]

# Open files: every API connection (at most HTTP_MAX_CONNECTIONS), every probed service and the
# state file take a descriptor, and the service warns at start-up when its limit is too low. Docker's
# default is usually generous; where it is not, run with `--ulimit nofile=65536:65536`.
# SIGTERM (docker stop) shuts the service down cleanly; java is PID 1 and gets it directly.
# JVM options: /app/jvm.options (heap and collector, see conf/jvm.options); JDK_JAVA_OPTIONS is
# read by java itself but comes before the argument file, so to change the heap for a very large
# fleet override the entry point or mount another /app/jvm.options. With --read-only, mount a
# tmpfs on /tmp (Netty's native library is unpacked there, and jcmd's attach socket lives there).
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:SharedArchiveFile=/app/orchestrator.jsa", \
            "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/app/orchestrator.jar"]
