package dev.classifier.image;

import static dev.classifier.image.ImageRejectedException.corrupt;

/**
 * Counts the structures one scan walks (chunks, marker segments, blocks) against {@code
 * classifier.image.max-chunks}, before each one is read: the one count limit every format's walk
 * shares, so a file made of millions of empty chunks costs no more than the limit allows.
 */
final class ChunkCount {

  private final ImageFormat format;
  private final int max;
  private final String what;
  private int count;

  /**
   * @param what the counted structures as the refusal names them, e.g. "chunks"
   */
  ChunkCount(ImageFormat format, ImageLimits limits, String what) {
    this.format = format;
    this.max = limits.maxChunks();
    this.what = what;
  }

  /** Counts one more structure: its number, from 1; a corrupt image past the limit. */
  int next() {
    if (++count > max) {
      throw corrupt(format, "has more than " + max + " " + what);
    }
    return count;
  }
}
