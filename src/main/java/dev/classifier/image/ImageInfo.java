package dev.classifier.image;

/**
 * What the client sent, as sniffed from its bytes: the real format (lower-case, e.g. {@code jpeg})
 * and the dimensions after EXIF orientation.
 */
public record ImageInfo(String format, int width, int height) {}
