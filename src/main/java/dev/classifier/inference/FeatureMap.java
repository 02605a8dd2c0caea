package dev.classifier.inference;

/**
 * One image's slice of the model's feature output, fetched only for requests that explain.
 *
 * @param shape the dimensions without the batch, as ONNX Runtime returned them (e.g. {@code [2048,
 *     10, 10]})
 */
public record FeatureMap(float[] values, int[] shape) {}
