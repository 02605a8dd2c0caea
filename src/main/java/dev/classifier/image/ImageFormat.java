package dev.classifier.image;

/**
 * The formats this service decodes, recognised by their magic bytes only: a client's declared
 * content type or file name is never trusted, so the bytes alone pick the decoder.
 */
enum ImageFormat {
  JPEG("jpeg"),
  PNG("png"),
  GIF("gif"),
  BMP("bmp"),
  WEBP("webp"),
  TIFF("tiff");

  private final String formatName;

  ImageFormat(String formatName) {
    this.formatName = formatName;
  }

  /** Lower-case name as reported to clients and as ImageIO knows the format. */
  String formatName() {
    return formatName;
  }

  static ImageFormat sniff(byte[] b) {
    return sniff(EncodedImage.of(b));
  }

  static ImageFormat sniff(EncodedImage image) {
    if (startsWith(image, 0, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(image, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(image, 0, 'G', 'I', 'F', '8')
        && (startsWith(image, 4, '7', 'a') || startsWith(image, 4, '9', 'a'))) {
      return GIF;
    }
    if (startsWith(image, 0, 'B', 'M')) {
      return BMP;
    }
    if (startsWith(image, 0, 'R', 'I', 'F', 'F') && startsWith(image, 8, 'W', 'E', 'B', 'P')) {
      return WEBP;
    }
    // Classic TIFF (42) and BigTIFF (43), either byte order.
    if (startsWith(image, 0, 'I', 'I', 42, 0)
        || startsWith(image, 0, 'M', 'M', 0, 42)
        || startsWith(image, 0, 'I', 'I', 43, 0)
        || startsWith(image, 0, 'M', 'M', 0, 43)) {
      return TIFF;
    }
    throw new ImageRejectedException(
        ImageRejectedException.Reason.UNSUPPORTED_FORMAT,
        "not an image in a supported format (jpeg, png, gif, bmp, webp, tiff)");
  }

  private static boolean startsWith(EncodedImage image, int offset, int... magic) {
    if (image.length() < offset + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((image.bytes()[image.offset() + offset + i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
