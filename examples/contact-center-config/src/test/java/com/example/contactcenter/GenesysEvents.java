package com.example.contactcenter;

/** Genesys EventBridge events as our org sends them (ids and numbers made up). */
final class GenesysEvents {
    private static final String PARTICIPANT = "7f3e2d1c-0b0a-4999-8888-777766665555";

    private GenesysEvents() {
    }

    static String customerStart(String conversationId, String ani) {
        return envelope(conversationId, "customer.start", "\"ani\": \"" + ani + "\", \"dnis\": \"tel:+33100000000\", ");
    }

    static String customerEnd(String conversationId) {
        return envelope(conversationId, "customer.end", "");
    }

    private static String envelope(String conversationId, String event, String numbers) {
        String topic = "v2.detail.events.conversation." + conversationId + "." + event;
        return "{\"version\": \"0\", \"id\": \"" + event + "-" + conversationId + "\", \"detail-type\": \"" + topic + "\","
                + " \"source\": \"aws.partner/genesys.com/cloud/our-org/asyncflow\", \"time\": \"2026-03-12T09:00:00Z\","
                + " \"region\": \"eu-west-1\", \"resources\": [],"
                + " \"detail\": {\"topicName\": \"" + topic + "\", \"version\": \"2\","
                + " \"eventBody\": {\"conversationId\": \"" + conversationId + "\", \"participantId\": \"" + PARTICIPANT + "\", "
                + numbers + "\"mediaType\": \"VOICE\", \"direction\": \"INBOUND\"}, \"metadata\": {\"CorrelationId\": \"c-" + event + "\"}}}";
    }
}
