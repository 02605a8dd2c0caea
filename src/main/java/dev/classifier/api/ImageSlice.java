package dev.classifier.api;

/** Where one image lies in its request's upload body. */
record ImageSlice(int offset, int length) {}
