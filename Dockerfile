# Container image of the classifier, built from the packaged jar:
#   mvn -B package -DskipTests && docker build -t xception-classifier .
# BASE_IMAGE must provide a Java 17+ runtime and bash; CI passes a JRE image it builds locally
# (.ci/docker-up.sh), because this machine cannot pull from a registry.
ARG BASE_IMAGE=eclipse-temurin:17-jre

# Split the Spring Boot jar into its layers so that a code change rebuilds only the small application layer
# and the ~100 MB of dependencies stay cached.
FROM ${BASE_IMAGE} AS extract
WORKDIR /build
ARG JAR_FILE=target/*.jar
COPY ${JAR_FILE} application.jar
RUN java -Djarmode=tools -jar application.jar extract --layers --destination extracted

FROM ${BASE_IMAGE}
# libjpeg-turbo for the service's fast JPEG path (README, "Image decoding"); set empty for a base without apt
# access, the service then decodes with ImageIO only.
ARG APT_PACKAGES="libturbojpeg-java libturbojpeg0-dev"
# The service user gets a fixed uid, so files it writes into a mounted models volume have a predictable owner.
RUN if [ -n "${APT_PACKAGES}" ]; then \
      apt-get update -q \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${APT_PACKAGES} \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
  && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin classifier \
  && mkdir -p /app/models \
  && chown 10001:10001 /app/models
WORKDIR /app
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
COPY docker/healthcheck.sh /usr/local/bin/classifier-healthcheck
# JVM options that get the request path fully compiled within its first few hundred requests (see the file); an
# entrypoint argument file, so that a deployment that sets its own JDK_JAVA_OPTIONS keeps them.
COPY src/main/jvm/request-path-jit.args /app/request-path-jit.args
# The labels ship with the image; the model itself does not (too large): the service builds the synthetic
# Xception into models/ on first start, or uses a real xception.onnx mounted there.
COPY --chown=10001:10001 models/imagenet-labels.tsv models/imagenet-labels.tsv
VOLUME ["/app/models"]

USER 10001:10001
# The heap gets a quarter of the container's memory limit: ONNX Runtime keeps the weights and its activation
# arena off-heap, which is most of the footprint (docs/benchmarks.md: ~0.9 GiB RSS with a 384 MiB heap, i.e. a
# quarter of the 1536Mi the Kubernetes manifests give a pod).
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=25 -XX:+ExitOnOutOfMemoryError"
# glibc keeps freed native memory (ONNX Runtime's model parsing, TurboJPEG's buffers) in its heaps unless
# large blocks are mmapped: a fixed 128 KiB threshold returns them to the system. docs/benchmarks.md measured
# ~200 MiB less RSS with it and no change in speed.
ENV MALLOC_MMAP_THRESHOLD_=131072
# 8080: the API and the try-it page. 8082: health, info and Prometheus (management.server.port), for the
# orchestrator and the scraper only: publish 8080 alone to the outside.
EXPOSE 8080 8082
# Readiness, not liveness: the container is healthy only once the model is loaded and warmed up.
# The interval stays short because the check is a bash builtin, not a JVM.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["bash", "/usr/local/bin/classifier-healthcheck"]
# Exec form: java is PID 1 and receives SIGTERM itself, which starts Spring's graceful shutdown.
ENTRYPOINT ["java", "@/app/request-path-jit.args", "-jar", "/app/application.jar"]
