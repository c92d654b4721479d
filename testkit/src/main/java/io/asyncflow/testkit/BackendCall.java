package io.asyncflow.testkit;

import java.net.URI;

/**
 * One call the lookup worker would make to a backend, built by the worker's own request builder
 * from the backend's URL and body templates (inputs URL-encoded into the URL, JSON-escaped into
 * the body): what a test asserts to check a template.
 *
 * @param backend the backend name
 * @param method the HTTP method
 * @param uri the URL with the inputs filled in
 * @param body the request body, or null (GET, or no body template)
 */
public record BackendCall(String backend, String method, URI uri, String body) {
}
