/**
 * Plug-ins for Kafka's own console tools: {@link io.asyncflow.console.AsyncFlowFormatter} prints
 * the records of any AsyncFlow topic as JSON lines ({@code kafka-console-consumer --formatter}),
 * {@link io.asyncflow.console.AsyncFlowRecordReader} produces them back byte for byte, or produces
 * plain Genesys events onto the raw events topic ({@code kafka-console-producer --line-reader}).
 * Recorded conversations to replay live in the repository's {@code replay/} directory; see
 * {@code docs/console-tools.md}.
 */
package io.asyncflow.console;
