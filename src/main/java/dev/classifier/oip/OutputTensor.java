package dev.classifier.oip;

/** One output tensor of an answer, ready for a door to encode. */
public record OutputTensor(String name, Datatype datatype, long[] shape, TensorData data) {}
