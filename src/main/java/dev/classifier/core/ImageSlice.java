package dev.classifier.core;

/** Where one encoded image lies in its request's body. */
public record ImageSlice(int offset, int length) {}
