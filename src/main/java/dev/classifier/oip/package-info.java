/**
 * The Open Inference Protocol ("V2", KServe and Triton) independent of its transport: the request
 * and response model both doors decode into and encode from ({@code dev.classifier.rest.v2} over
 * HTTP/JSON, {@code dev.classifier.grpc} over gRPC), the two V2 models this service offers, their
 * metadata, the classification extension, the protocol's errors and its limits, and the adapter
 * that runs V2 requests on the classification core ({@link dev.classifier.oip.CoreInference}). A
 * shared package between the doors and the core, because the two doors must agree on every rule
 * (which tensors a model takes, how BYTES are framed, how many elements a request may declare, what
 * each core failure means) and a rule written once cannot drift. No wire library here; Spring only
 * in its configuration and the adapter's registration.
 */
package dev.classifier.oip;
