package dev.classifier.image;

import java.util.Objects;

/**
 * The bytes of one uploaded image as a slice of a larger array, so that the API layer can hand over
 * each multipart part where it lies in the request body instead of copying it. Nothing in this
 * package copies or modifies the slice (except where a native decoder can only read from index 0,
 * see {@link NativeJpeg}); the caller must not change it while {@link ImagePreprocessor#prepare}
 * runs.
 *
 * @param bytes the array holding the image; not copied
 * @param offset index of the image's first byte in {@code bytes}
 * @param length number of bytes of the image
 */
public record EncodedImage(byte[] bytes, int offset, int length) {

  public EncodedImage {
    Objects.requireNonNull(bytes, "bytes");
    Objects.checkFromIndexSize(offset, length, bytes.length);
  }

  /** The whole array as one image. */
  public static EncodedImage of(byte[] bytes) {
    return new EncodedImage(bytes, 0, bytes.length);
  }

  /** Index just past the image's last byte in {@link #bytes()}. */
  int end() {
    return offset + length;
  }

  /** Equality and hash are the record's: the array by identity, never by content. */
  @Override
  public String toString() {
    return "EncodedImage[" + length + " bytes at " + offset + "]";
  }
}
