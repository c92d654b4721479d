# AsyncFlow image: `docker build -t asyncflow .`, then
#   docker run --rm -e ASYNCFLOW_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 -v $PWD/my.properties:/etc/asyncflow/asyncflow.properties:ro \
#     -e ASYNCFLOW_CONFIG=/etc/asyncflow/asyncflow.properties asyncflow --components processor
# The entry point is `asyncflow run`; arguments pick the components. JVM options: JAVA_TOOL_OPTIONS.
# The default target, `production`, holds the app module and its runtime dependencies only: no
# Kafka broker, Scala, simulators or bench. `--target tools` builds the image of the ./asyncflow
# tools (simulated Genesys and databases for docker-compose, demo, bench, console tools).

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -Dstyle.color=never -DskipTests package -pl app,tools -am

FROM eclipse-temurin:17-jre AS base
RUN groupadd --system --gid 10001 asyncflow && useradd --system --uid 10001 --gid asyncflow --home-dir /opt/asyncflow --shell /usr/sbin/nologin asyncflow \
    && mkdir -p /var/lib/asyncflow && chown asyncflow:asyncflow /var/lib/asyncflow
WORKDIR /opt/asyncflow
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Instance slots and the topology's state (asyncflow.data-dir); mount a volume here to keep state across re-creation.
ENV ASYNCFLOW_ASYNCFLOW_DATA_DIR=/var/lib/asyncflow

FROM base AS tools
COPY --from=build /src/tools/target/lib/ ./lib/
COPY --from=build /src/tools/target/asyncflow-tools.jar ./
USER asyncflow
ENTRYPOINT ["java", "-cp", "/opt/asyncflow/asyncflow-tools.jar:/opt/asyncflow/lib/*", "io.asyncflow.app.AsyncFlowCli"]

FROM base AS production
COPY --from=build /src/app/target/lib/ ./lib/
COPY --from=build /src/app/target/asyncflow-app.jar ./
USER asyncflow
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/opt/asyncflow/asyncflow-app.jar:/opt/asyncflow/lib/*", "io.asyncflow.app.AsyncFlowCli", "run"]
