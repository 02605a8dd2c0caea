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
    if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(b, 0, 'G', 'I', 'F', '8')
        && (startsWith(b, 4, '7', 'a') || startsWith(b, 4, '9', 'a'))) {
      return GIF;
    }
    if (startsWith(b, 0, 'B', 'M')) {
      return BMP;
    }
    if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
      return WEBP;
    }
    // Classic TIFF (42) and BigTIFF (43), either byte order.
    if (startsWith(b, 0, 'I', 'I', 42, 0)
        || startsWith(b, 0, 'M', 'M', 0, 42)
        || startsWith(b, 0, 'I', 'I', 43, 0)
        || startsWith(b, 0, 'M', 'M', 0, 43)) {
      return TIFF;
    }
    throw new ImageRejectedException(
        ImageRejectedException.Reason.UNSUPPORTED_FORMAT,
        "not an image in a supported format (jpeg, png, gif, bmp, webp, tiff)");
  }

  private static boolean startsWith(byte[] bytes, int offset, int... magic) {
    if (bytes.length < offset + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((bytes[offset + i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
