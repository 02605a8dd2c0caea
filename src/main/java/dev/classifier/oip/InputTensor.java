package dev.classifier.oip;

/**
 * One decoded input tensor; its element count equals its shape's product (the decoders check, with
 * {@link TensorData#matchingShape}).
 *
 * @param shape as the client declared it, every dimension non-negative
 */
public record InputTensor(String name, Datatype datatype, long[] shape, TensorData data) {}
