/**
 * The loaded ONNX model and its batching queue: admission, dynamic batching, the session run,
 * scores and deadlines; its door is {@link dev.classifier.inference.Inference}. May import image
 * (the input layout) and model; never core, a door or http.
 */
package dev.classifier.inference;
