package dev.classifier.image;

import java.util.Arrays;

/**
 * Separable resize to an exact output size (aspect ratio not kept). Shrinking uses area averaging:
 * each output pixel is the coverage-weighted mean of the source pixels under its footprint, which
 * is the box filter that cannot alias and is exact at integer ratios; enlarging (small uploads)
 * uses bilinear interpolation, because area averaging would degenerate into nearest-neighbour
 * blocks there. At a 1:1 ratio both are the identity.
 *
 * <p>Streams with primitive arrays only: each source row is filtered horizontally once, into a ring
 * of the few rows the tallest vertical footprint spans, and each output row is summed from that
 * ring as soon as its last source row has arrived and handed to a {@link RowSink}, which writes it
 * where it belongs. Memory is the filtered rows under the tallest vertical footprint (a handful for
 * a tensor), not a second copy of the output. Not thread-safe: one instance per resize.
 */
final class Resampler {

  /** Receives each finished output row, in order: {@code width * 3} floats R, G, B in 0..255. */
  interface RowSink {
    void row(int y, float[] rgb);
  }

  // Horizontal taps are applied four at a time, written out: a loop over one tap at a time, whose
  // trip count changes from pixel to pixel, measured about a quarter slower for 640 -> 299.
  private static final int GROUP = 4;

  private final FilterAxis vertical;
  private final int width;
  private final int height;
  private final RowSink sink;
  // The horizontal weights padded to the same multiple of GROUP taps for every output, zeros where
  // a footprint is narrower. Bit-identical to summing only the footprint, because every sample and
  // weight is finite and non-negative, so each padded term adds exactly +0, and Java adds left to
  // right, so the footprint's terms are summed in the same order from the same zero.
  private final int[] windowStart;
  private final float[] windowWeights;
  private final int window;
  private final int paddedSourceWidth;
  // Horizontally filtered source rows, row y at ring[y % ring.length]: enough for the tallest
  // vertical footprint.
  private final float[][] ring;
  private final float[] sum;
  private int next;

  /**
   * A resize of a {@code sourceWidth x sourceHeight} image to {@code width x height}, fed source
   * rows top to bottom by {@link #resize} and handing each output row to {@code sink} as soon as
   * the last source row under it has arrived.
   */
  Resampler(int sourceWidth, int sourceHeight, int width, int height, RowSink sink) {
    FilterAxis horizontal = FilterAxis.of(sourceWidth, width);
    this.vertical = FilterAxis.of(sourceHeight, height);
    this.width = width;
    this.height = height;
    this.sink = sink;
    this.window = (max(horizontal.count()) + GROUP - 1) / GROUP * GROUP;
    // A source narrower than the window is read into a row with zeros after its last pixel.
    this.paddedSourceWidth = Math.max(sourceWidth, window);
    this.windowStart = new int[width];
    this.windowWeights = new float[width * window];
    for (int i = 0; i < width; i++) {
      int start = Math.min(horizontal.start()[i], paddedSourceWidth - window);
      windowStart[i] = start;
      int shift = horizontal.start()[i] - start;
      for (int k = 0; k < horizontal.count()[i]; k++) {
        windowWeights[i * window + shift + k] = horizontal.weights()[i * horizontal.taps() + k];
      }
    }
    this.ring = new float[max(vertical.count())][width * 3];
    this.sum = new float[width * 3];
  }

  /**
   * Reads every row of {@code source} once, top to bottom, and feeds it to each of {@code targets},
   * which must all have been made for the source's size. 8-bit opaque rows are read as they are
   * stored (see {@link SrgbRows#readStored}) and filtered with their own pixel stride and channel
   * offsets, which saves moving every sample into R, G, B order first.
   */
  static void resize(SrgbRows source, Resampler... targets) {
    boolean stored = source.opaqueBytes();
    int step = stored ? source.storedPixelStride() : 3;
    int rc = stored ? source.storedChannelOffset(0) : 0;
    int gc = stored ? source.storedChannelOffset(1) : 1;
    int bc = stored ? source.storedChannelOffset(2) : 2;
    int padded = source.width();
    for (Resampler target : targets) {
      padded = Math.max(padded, target.paddedSourceWidth);
    }
    // Past the source's last pixel the row stays zero, which a window wider than the source reads.
    int length = (padded - 1) * step + Math.max(rc, Math.max(gc, bc)) + 1;
    float[] row = new float[Math.max(length, stored ? source.storedRowLength() : 0)];
    for (int y = 0; y < source.height(); y++) {
      boolean read = false;
      for (Resampler target : targets) {
        if (target.wants(y)) {
          if (!read) {
            if (stored) {
              source.readStored(y, row);
            } else {
              source.read(y, row);
            }
            read = true;
          }
          float[] out = target.ring[y % target.ring.length];
          if (target.window == GROUP) {
            target.filterOneGroup(row, step, rc, gc, bc, out);
          } else {
            target.filter(row, step, rc, gc, bc, out);
          }
          target.emitEndingAt(y);
        }
      }
    }
  }

  /** Whether source row {@code y} is under a footprint not yet summed. */
  private boolean wants(int y) {
    return next < height && y >= vertical.start()[next];
  }

  private void emitEndingAt(int y) {
    while (next < height && vertical.start()[next] + vertical.count()[next] - 1 == y) {
      emit(next++);
    }
  }

  /**
   * Filters one source row horizontally into {@code out} (R, G, B per output pixel): pixel {@code
   * x}'s channel R at {@code in[x * step + rc]}, G at {@code + gc}, B at {@code + bc}.
   */
  private void filter(float[] in, int step, int rc, int gc, int bc, float[] out) {
    for (int i = 0, w = 0, o = 0; i < width; i++, o += 3) {
      float r = 0f;
      float g = 0f;
      float b = 0f;
      for (int k = 0, p0 = windowStart[i] * step;
          k < window;
          k += GROUP, w += GROUP, p0 += GROUP * step) {
        int p1 = p0 + step;
        int p2 = p1 + step;
        int p3 = p2 + step;
        float w0 = windowWeights[w];
        float w1 = windowWeights[w + 1];
        float w2 = windowWeights[w + 2];
        float w3 = windowWeights[w + 3];
        r = r + w0 * in[p0 + rc] + w1 * in[p1 + rc] + w2 * in[p2 + rc] + w3 * in[p3 + rc];
        g = g + w0 * in[p0 + gc] + w1 * in[p1 + gc] + w2 * in[p2 + gc] + w3 * in[p3 + gc];
        b = b + w0 * in[p0 + bc] + w1 * in[p1 + bc] + w2 * in[p2 + bc] + w3 * in[p3 + bc];
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }

  /**
   * {@link #filter} where every footprint fits one group of taps: a source up to about three times
   * the output's width, which covers every JPEG the decoder has DCT-scaled (a 640x480 photo at 5/8
   * for 299 wide, a 12 MP one at 1/8). Without the loop over groups, whose trip count the compiler
   * cannot know, it measured about 40 % faster for 400 -> 299. The same terms are added in the same
   * order from the same zero, so the sums are bit-identical.
   */
  private void filterOneGroup(float[] in, int step, int rc, int gc, int bc, float[] out) {
    float[] weights = windowWeights;
    int[] starts = windowStart;
    for (int i = 0, w = 0, o = 0; i < width; i++, o += 3, w += GROUP) {
      int p0 = starts[i] * step;
      int p1 = p0 + step;
      int p2 = p1 + step;
      int p3 = p2 + step;
      float w0 = weights[w];
      float w1 = weights[w + 1];
      float w2 = weights[w + 2];
      float w3 = weights[w + 3];
      out[o] = 0f + w0 * in[p0 + rc] + w1 * in[p1 + rc] + w2 * in[p2 + rc] + w3 * in[p3 + rc];
      out[o + 1] = 0f + w0 * in[p0 + gc] + w1 * in[p1 + gc] + w2 * in[p2 + gc] + w3 * in[p3 + gc];
      out[o + 2] = 0f + w0 * in[p0 + bc] + w1 * in[p1 + bc] + w2 * in[p2 + bc] + w3 * in[p3 + bc];
    }
  }

  /** Sums in source row order from zero, as the accumulation this replaced did, bit for bit. */
  private void emit(int i) {
    Arrays.fill(sum, 0f);
    int start = vertical.start()[i];
    for (int k = 0; k < vertical.count()[i]; k++) {
      float weight = vertical.weights()[i * vertical.taps() + k];
      float[] line = ring[(start + k) % ring.length];
      for (int j = 0; j < sum.length; j++) {
        sum[j] += weight * line[j];
      }
    }
    sink.row(i, sum);
  }

  private static int max(int[] values) {
    int max = 0;
    for (int v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
