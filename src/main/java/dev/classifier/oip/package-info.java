/**
 * The Open Inference Protocol ("V2", KServe and Triton) independent of its transport: the request
 * and response model both doors decode into and encode from ({@code dev.classifier.rest.v2} over
 * HTTP/JSON, {@code dev.classifier.grpc} over gRPC), the two V2 models this service offers, their
 * metadata, the classification extension, the protocol's errors and its limits. A shared package,
 * because the two doors must agree on every rule (which tensors a model takes, how BYTES are
 * framed, how many elements a request may declare) and a rule written once cannot drift. No Spring,
 * no wire library here.
 */
package dev.classifier.oip;
