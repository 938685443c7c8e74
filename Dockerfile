# One image for every spineflow service; the service is the command (ingest, preprocess, ...).
# Without a Docker daemon, the same image comes from Jib: ./mvnw -Pjib ... (README, "Deploying on
# Kubernetes"); keep the two entrypoints equal.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# PyTorch natives: cpu. cu128 only where a registry serves pytorch-native-cu128 (README, "With a
# GPU"); the gpu target below is the path that works with the cpu build.
ARG PYTORCH_FLAVOR=cpu
RUN mvn -q -B -pl cli -am install -DskipTests -Dspotless.check.skip=true \
    -Dpytorch.flavor=${PYTORCH_FLAVOR}

FROM eclipse-temurin:17-jre AS cpu
RUN useradd --system --uid 10001 spineflow && mkdir -p /data && chown spineflow /data
COPY --from=build /src/cli/target/spineflow-cli.jar /opt/spineflow/spineflow-cli.jar
COPY --from=build /src/cli/target/lib /opt/spineflow/lib
USER spineflow
ENV SPINEFLOW_DATA_DIR=/data
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-cp", "/opt/spineflow/spineflow-cli.jar:/opt/spineflow/lib/*", "io.spineflow.cli.Spineflow"]

# CUDA 12.8: the cpu build plus a libtorch 2.7.1+cu128 that DJL loads instead of its CPU natives
# (pytorch-jni carries the cu128 JNI library). Built only when asked for:
#   docker build --target gpu --build-context libtorch=/opt/libtorch -t spineflow:gpu .
# where /opt/libtorch is PyTorch's libtorch 2.7.1 for CUDA 12.8 (shared, with deps), unpacked.
FROM cpu AS gpu
COPY --from=libtorch lib /opt/libtorch/lib
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128

# The default target: the cpu image.
FROM cpu
