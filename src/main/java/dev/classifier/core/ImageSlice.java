package dev.classifier.core;

/** Where one image lies in its request's upload body. */
public record ImageSlice(int offset, int length) {}
