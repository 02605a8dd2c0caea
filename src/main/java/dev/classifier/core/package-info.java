/**
 * The protocol-neutral classification core every front door calls: admission, decode and preprocess
 * (or tensors taken as they are), the batching queue, scores to results and explanations; its
 * request/result records and domain errors. May import image, inference, model, explain, config and
 * metrics; never a door, {@code http}, the Servlet API, Spring MVC or a wire format.
 */
package dev.classifier.core;
