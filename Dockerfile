# One image for every spineflow service; the service is the command (ingest, preprocess, ...).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# PyTorch natives: cpu, or cu128 for the GPU the compose file reserves (README, "With a GPU").
ARG PYTORCH_FLAVOR=cpu
RUN mvn -q -B -pl cli -am install -DskipTests -Dspotless.check.skip=true \
    -Dpytorch.flavor=${PYTORCH_FLAVOR}

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 spineflow && mkdir -p /data && chown spineflow /data
COPY --from=build /src/cli/target/spineflow-cli.jar /opt/spineflow/spineflow-cli.jar
COPY --from=build /src/cli/target/lib /opt/spineflow/lib
USER spineflow
ENV SPINEFLOW_DATA_DIR=/data
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-cp", "/opt/spineflow/spineflow-cli.jar:/opt/spineflow/lib/*", "io.spineflow.cli.Spineflow"]
