package dev.classifier.image;

/**
 * What a JPEG's header segments say beyond the pixels: the EXIF orientation (APP1) and whether an
 * embedded ICC profile (APP2) asks for a colour conversion, which the colour-unaware native fast
 * path cannot do. An embedded sRGB profile, common in phone and web images, asks for none; nor does
 * a profile over the size limit, which is not read at all (the image is decoded as sRGB).
 */
record JpegSegments(int orientation, boolean needsColourManagement) {

  /**
   * The segments of a whole-array JPEG under the default limits, as {@link JpegScanner} reads them.
   */
  static JpegSegments read(byte[] bytes) {
    return JpegScanner.scan(EncodedImage.of(bytes), ImageLimits.defaults()).jpeg().segments();
  }
}
