package dev.classifier.image;

/**
 * What the structure scan of one upload found before any decoder saw it: the stored size of the
 * frame to decode, its EXIF orientation, the bytes the ImageIO reader may read (the upload minus
 * everything it must not see), and what the decode will allocate.
 *
 * @param width stored width of the frame that will be decoded
 * @param height stored height of the frame that will be decoded
 * @param pieces what the ImageIO reader reads
 * @param footprint what the ImageIO path allocates, by size of the stored and the decoded image
 * @param iccProfile PNG only: the inflated iCCP profile of an RGB image, to tag the decoded pixels
 *     with (the PNG reader never sees the chunk); {@code null} otherwise
 * @param jpeg JPEG only: what the TurboJPEG path and progressive reads need; {@code null} otherwise
 */
record Scan(
    ImageFormat format,
    int width,
    int height,
    int orientation,
    SliceInputStream.Pieces pieces,
    Footprint footprint,
    byte[] iccProfile,
    JpegHeader jpeg) {

  /**
   * Upper bound of the bytes (heap and native) an ImageIO decode allocates: {@code fixedBytes +
   * storedBytes + bytesPerDecodedPixel × decoded pixels}, where the decoded size is the stored size
   * after source subsampling. Each scanner derives the three terms from its reader's allocations
   * (destination image, full-width row buffers, tiles, whole-image coefficient buffers, profiles,
   * colour conversion copies); ImageDecoderMemoryTest measures that they are upper bounds.
   *
   * @param fixedBytes bytes that depend on neither size: tables, profiles, reader state
   * @param storedBytes bytes that scale with the stored size: rows, tiles, canvases the reader
   *     decodes at full size whatever the subsampling, libjpeg's coefficient buffer
   * @param bytesPerDecodedPixel bytes per pixel of the subsampled result: the destination image and
   *     any converted copy of it
   */
  record Footprint(long fixedBytes, long storedBytes, int bytesPerDecodedPixel) {

    long bytes(long decodedPixels) {
      return fixedBytes + storedBytes + bytesPerDecodedPixel * decodedPixels;
    }
  }
}
