/**
 * The /v1 REST contract: controllers, response records, the problem types (RFC 9457) and their
 * handler, the OpenAPI document. A door: it translates /v1 into the core's requests and its results
 * back, and may import core, http and the packages below them; nothing imports it.
 */
package dev.classifier.rest.v1;
