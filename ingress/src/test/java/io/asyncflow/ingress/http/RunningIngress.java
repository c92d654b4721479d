package io.asyncflow.ingress.http;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.ingress.IngressClient;
import io.asyncflow.ingress.IngressServer;
import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.topic.Topics;
import java.util.Map;

/**
 * An ingress started on a free port against a test cluster, with topics of its own.
 *
 * @param server the running ingress
 * @param topics its topics
 * @param client a client for it
 * @param config its configuration
 */
record RunningIngress(IngressServer server, Topics topics, IngressClient client, AsyncFlowConfig config) implements AutoCloseable {

    static RunningIngress start(KafkaTestCluster cluster, Map<String, String> more) {
        AsyncFlowConfig config = cluster.freshConfig(TestCatalog.config(more));
        IngressServer server = new IngressServer(config);
        server.start();
        String host = config.get(io.asyncflow.ingress.IngressSettings.HOST);
        return new RunningIngress(server, Topics.from(config), new IngressClient(host, server.port()), config);
    }

    static RunningIngress start(KafkaTestCluster cluster) {
        return start(cluster, Map.of());
    }

    @Override
    public void close() {
        server.close();
    }
}
