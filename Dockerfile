# AsyncFlow image: `docker build -t asyncflow .`, then
#   docker run --rm -e ASYNCFLOW_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 -v $PWD/my.properties:/etc/asyncflow/asyncflow.properties:ro \
#     -e ASYNCFLOW_CONFIG=/etc/asyncflow/asyncflow.properties asyncflow --components processor
# The entry point is `asyncflow run`; arguments pick the components. JVM options: JAVA_TOOL_OPTIONS.

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -Dstyle.color=never -DskipTests package -pl app -am

FROM eclipse-temurin:17-jre
RUN groupadd --system asyncflow && useradd --system --gid asyncflow --home-dir /opt/asyncflow --shell /usr/sbin/nologin asyncflow \
    && mkdir -p /var/lib/asyncflow && chown asyncflow:asyncflow /var/lib/asyncflow
WORKDIR /opt/asyncflow
COPY --from=build /src/app/target/lib/ ./lib/
COPY --from=build /src/app/target/asyncflow-app.jar ./
USER asyncflow
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Instance slots and the topology's state (asyncflow.data-dir); mount a volume here to keep state across re-creation.
ENV ASYNCFLOW_ASYNCFLOW_DATA_DIR=/var/lib/asyncflow
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/opt/asyncflow/asyncflow-app.jar:/opt/asyncflow/lib/*", "io.asyncflow.app.AsyncFlowCli", "run"]
