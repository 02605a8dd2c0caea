package dev.classifier.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageInputStream over pieces of byte arrays, read as if they were one file: how a structure
 * scan hands a decoder the upload minus the chunks it must not see (text, EXIF, XMP, oversized
 * profiles, later frames), plus the few bytes it rewrote (a length field, a TIFF directory),
 * without copying the upload. Not thread-safe, like every ImageInputStream; {@link Pieces} is
 * immutable and opens any number of streams.
 */
final class SliceInputStream extends ImageInputStreamImpl {

  /** The pieces in stream order. */
  static final class Pieces {
    private final byte[][] arrays;
    private final int[] offsets;
    private final long[] starts;
    private final long length;
    private final boolean endIsError;

    private Pieces(byte[][] arrays, int[] offsets, long[] starts, long length, boolean endIsError) {
      this.arrays = arrays;
      this.offsets = offsets;
      this.starts = starts;
      this.length = length;
      this.endIsError = endIsError;
    }

    long length() {
      return length;
    }

    int count() {
      return arrays.length;
    }

    ImageInputStream open() {
      return new SliceInputStream(this, null);
    }

    /**
     * A stream that also enforces {@code deadline}: every few thousand reads it checks the decode's
     * CPU time and, past the limit, fails every further read. This bounds decoders that report no
     * progress, as long as they read (TwelveMonkeys' WebP lossless decoder reads past the end of a
     * bitstream indefinitely, one EOFException per bit).
     */
    ImageInputStream open(DecodeDeadline deadline) {
      return new SliceInputStream(this, deadline);
    }

    /**
     * The bytes as one array: for consumers that only take an array from index 0 (TurboJPEG). A
     * copy unless the pieces are one array from index 0, so callers count it in their estimate.
     */
    byte[] toArray() {
      if (arrays.length == 1 && offsets[0] == 0 && arrays[0].length == length) {
        return arrays[0];
      }
      byte[] out = new byte[Math.toIntExact(length)];
      for (int i = 0; i < arrays.length; i++) {
        System.arraycopy(arrays[i], offsets[i], out, (int) starts[i], pieceLength(i));
      }
      return out;
    }

    private int pieceLength(int i) {
      long end = i + 1 < starts.length ? starts[i + 1] : length;
      return (int) (end - starts[i]);
    }
  }

  /** Collects pieces; adjacent ranges of the same array merge into one. */
  static final class Builder {
    private final List<byte[]> arrays = new ArrayList<>();
    private final List<int[]> ranges = new ArrayList<>();
    private long length;

    /** Appends {@code array[from, to)}. */
    Builder keep(byte[] array, int from, int to) {
      if (from < 0 || to > array.length || from > to) {
        throw new IndexOutOfBoundsException("range " + from + ".." + to + " of " + array.length);
      }
      if (from == to) {
        return this;
      }
      int last = arrays.size() - 1;
      if (last >= 0 && arrays.get(last) == array && ranges.get(last)[1] == from) {
        ranges.get(last)[1] = to;
      } else {
        arrays.add(array);
        ranges.add(new int[] {from, to});
      }
      length += to - from;
      return this;
    }

    /** Appends the stream positions {@code from} to the end of {@code pieces}. */
    Builder keepFrom(Pieces pieces, long from) {
      for (int i = 0; i < pieces.arrays.length; i++) {
        long pieceStart = pieces.starts[i];
        long pieceEnd = pieceStart + pieces.pieceLength(i);
        if (pieceEnd > from) {
          int skip = (int) Math.max(0, from - pieceStart);
          keep(
              pieces.arrays[i],
              pieces.offsets[i] + skip,
              pieces.offsets[i] + pieces.pieceLength(i));
        }
      }
      return this;
    }

    /** Appends all of {@code replacement} (small rewritten structures). */
    Builder insert(byte[] replacement) {
      return keep(replacement, 0, replacement.length);
    }

    long length() {
      return length;
    }

    Pieces build() {
      return build(false);
    }

    /**
     * @param endIsError whether reading past the end fails with an IIOException instead of
     *     reporting the end: for decoders that treat the end of input as endless zero bits
     */
    Pieces build(boolean endIsError) {
      int n = arrays.size();
      byte[][] a = arrays.toArray(new byte[0][]);
      int[] offsets = new int[n];
      long[] starts = new long[n];
      long at = 0;
      for (int i = 0; i < n; i++) {
        offsets[i] = ranges.get(i)[0];
        starts[i] = at;
        at += ranges.get(i)[1] - ranges.get(i)[0];
      }
      return new Pieces(a, offsets, starts, at, endIsError);
    }
  }

  /** Reads between deadline checks: a check costs a clock read, a read a few nanoseconds. */
  private static final int CHECK_EVERY = 4096;

  private final Pieces pieces;
  private final DecodeDeadline deadline;
  private int piece;
  private int reads;

  private SliceInputStream(Pieces pieces, DecodeDeadline deadline) {
    this.pieces = pieces;
    this.deadline = deadline;
  }

  private void checkDeadline() throws IIOException {
    if (deadline != null && ++reads >= CHECK_EVERY) {
      reads = 0;
      deadline.checkFromStream();
    }
  }

  @Override
  public int read() throws IIOException {
    checkDeadline();
    if (streamPos >= pieces.length) {
      return end();
    }
    bitOffset = 0;
    locate();
    int b = pieces.arrays[piece][pieces.offsets[piece] + (int) (streamPos - pieces.starts[piece])];
    streamPos++;
    return b & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IIOException {
    checkDeadline();
    if (off < 0 || len < 0 || off + len > b.length || off + len < 0) {
      throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", of " + b.length);
    }
    if (len == 0) {
      return 0;
    }
    if (streamPos >= pieces.length) {
      return end();
    }
    bitOffset = 0;
    int done = 0;
    while (done < len && streamPos < pieces.length) {
      locate();
      int within = (int) (streamPos - pieces.starts[piece]);
      int n = Math.min(len - done, pieces.pieceLength(piece) - within);
      System.arraycopy(pieces.arrays[piece], pieces.offsets[piece] + within, b, off + done, n);
      done += n;
      streamPos += n;
    }
    return done;
  }

  private int end() throws IIOException {
    if (pieces.endIsError) {
      throw new IIOException("read past the end of the image data");
    }
    return -1;
  }

  @Override
  public long length() {
    return pieces.length;
  }

  /** Makes {@code piece} the one holding {@code streamPos} (which is below the length). */
  private void locate() {
    long start = pieces.starts[piece];
    if (streamPos >= start && streamPos - start < pieces.pieceLength(piece)) {
      return;
    }
    if (piece + 1 < pieces.starts.length
        && streamPos >= pieces.starts[piece + 1]
        && streamPos - pieces.starts[piece + 1] < pieces.pieceLength(piece + 1)) {
      piece++;
      return;
    }
    int found = Arrays.binarySearch(pieces.starts, streamPos);
    piece = found >= 0 ? found : -found - 2;
  }
}
