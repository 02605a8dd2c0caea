package dev.classifier.image;

/**
 * One decoded, resized and normalised image, ready to be copied into a batch tensor.
 *
 * @param pixels 3 × height × width floats in [-1, 1] (x / 127.5 − 1, channels R, G, B) in the
 *     requested layout
 * @param decodeNanos time spent decoding (including orientation and colour conversion)
 * @param preprocessNanos time spent resizing and normalising
 */
public record PreparedImage(
    ImageInfo info, float[] pixels, long decodeNanos, long preprocessNanos) {}
