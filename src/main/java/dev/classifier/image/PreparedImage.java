package dev.classifier.image;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * One decoded, resized and normalised image, ready to be copied into a batch tensor, and optionally
 * the upright picture it came from, for drawing over.
 *
 * @param pixels 3 × height × width floats in the requested layout, scaled as the {@link
 *     InputSpec}'s {@link Normalization} says: [-1, 1] for tf, ImageNet-standardised (about -2.1 to
 *     2.6) for torch, the mean-subtracted levels (about -124 to 152) in B, G, R order for caffe
 * @param preview when asked for, the upright (EXIF-oriented) sRGB picture at its own aspect ratio,
 *     at most the requested size on its long side, never enlarged, {@code TYPE_INT_RGB}
 * @param decodeNanos time spent decoding (including orientation and colour conversion)
 * @param preprocessNanos time spent resizing and normalising (and building the preview)
 */
public record PreparedImage(
    ImageInfo info,
    float[] pixels,
    Optional<BufferedImage> preview,
    long decodeNanos,
    long preprocessNanos) {}
