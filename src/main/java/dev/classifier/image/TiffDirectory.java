package dev.classifier.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The first image file directory (IFD0) of a TIFF structure (a TIFF file, or the EXIF block of a
 * JPEG or WebP), read with every field checked against the slice: the entry count against a limit
 * and the slice, each value's offset and size against the slice. Only IFD0 is read, so directory
 * chains, loops and sub-directories (EXIF, GPS, SubIFDs) are never followed. Values are not copied;
 * an entry records where its value lies.
 */
final class TiffDirectory {

  /** A structure the directory cannot be read from; the message says which field is wrong. */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message);
    }
  }

  /**
   * One entry. {@code valueAt} is the absolute index of the value in the array, or -1 when the
   * value does not lie inside the slice (the entry is then unusable, whatever its tag).
   */
  record Entry(int tag, int type, long count, int valueAt, int entryAt) {

    boolean usable() {
      return valueAt >= 0;
    }
  }

  private final byte[] bytes;
  private final int start;
  private final int end;
  private final boolean little;
  private final boolean big;
  private final List<Entry> entries;

  private TiffDirectory(
      byte[] bytes, int start, int end, boolean little, boolean big, List<Entry> entries) {
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.little = little;
    this.big = big;
    this.entries = entries;
  }

  /**
   * Reads IFD0 of the TIFF structure whose header starts at {@code start}; offsets in it count from
   * {@code start}.
   */
  static TiffDirectory read(byte[] b, int start, int end, int maxEntries)
      throws MalformedException {
    if (end - start < 8) {
      throw new MalformedException("has no complete header");
    }
    boolean little;
    if (b[start] == 'I' && b[start + 1] == 'I') {
      little = true;
    } else if (b[start] == 'M' && b[start + 1] == 'M') {
      little = false;
    } else {
      throw new MalformedException("has no byte order mark");
    }
    int magic = Bytes.u16(b, start + 2, little);
    boolean big = magic == 43;
    if (magic != 42 && !big) {
      throw new MalformedException("has magic number " + magic + ", not 42 or 43");
    }
    long ifd;
    if (big) {
      if (end - start < 16
          || Bytes.u16(b, start + 4, little) != 8
          || Bytes.u16(b, start + 6, little) != 0) {
        throw new MalformedException("has a malformed BigTIFF header");
      }
      ifd = Bytes.u64(b, start + 8, little);
    } else {
      ifd = Bytes.u32(b, start + 4, little);
    }
    int length = end - start;
    int countSize = big ? 8 : 2;
    int entrySize = big ? 20 : 12;
    if (ifd < (big ? 16 : 8) || ifd > length - countSize) {
      throw new MalformedException("has its first directory at " + ifd + ", outside the file");
    }
    int at = start + (int) ifd;
    long count = big ? Bytes.u64(b, at, little) : Bytes.u16(b, at, little);
    if (count < 0 || count > maxEntries) {
      throw new MalformedException(
          "has " + count + " directory entries, over the limit of " + maxEntries);
    }
    at += countSize;
    if (count * entrySize > end - at) {
      throw new MalformedException("directory of " + count + " entries runs past the end");
    }
    List<Entry> entries = new ArrayList<>((int) count);
    int inline = big ? 8 : 4;
    for (int i = 0; i < count; i++, at += entrySize) {
      int tag = Bytes.u16(b, at, little);
      int type = Bytes.u16(b, at + 2, little);
      long n = big ? Bytes.u64(b, at + 4, little) : Bytes.u32(b, at + 4, little);
      int valueField = at + (big ? 12 : 8);
      int size = typeSize(type);
      int valueAt = -1;
      if (size > 0 && n >= 0 && n <= length / size) {
        long bytes = n * size;
        if (bytes <= inline) {
          valueAt = valueField;
        } else {
          long offset = big ? Bytes.u64(b, valueField, little) : Bytes.u32(b, valueField, little);
          if (offset >= 0 && offset <= length - bytes) {
            valueAt = start + (int) offset;
          }
        }
      }
      entries.add(new Entry(tag, type, n, valueAt, at));
    }
    return new TiffDirectory(b, start, end, little, big, entries);
  }

  /** Bytes per value of a TIFF field type, 0 for types this reader does not know. */
  static int typeSize(int type) {
    return switch (type) {
      case 1, 2, 6, 7 -> 1; // BYTE, ASCII, SBYTE, UNDEFINED
      case 3, 8 -> 2; // SHORT, SSHORT
      case 4, 9, 11, 13 -> 4; // LONG, SLONG, FLOAT, IFD
      case 5, 10, 12, 16, 17, 18 -> 8; // RATIONAL, SRATIONAL, DOUBLE, LONG8, SLONG8, IFD8
      default -> 0;
    };
  }

  boolean littleEndian() {
    return little;
  }

  boolean bigTiff() {
    return big;
  }

  List<Entry> entries() {
    return entries;
  }

  Entry entry(int tag) {
    for (Entry e : entries) {
      if (e.tag() == tag) {
        return e;
      }
    }
    return null;
  }

  /**
   * Value {@code index} of an unsigned integer entry (BYTE, SHORT, LONG, LONG8), or -1 when the
   * entry is unusable, not an unsigned integer, or has fewer values.
   */
  long value(Entry e, long index) {
    if (e == null || !e.usable() || index < 0 || index >= e.count()) {
      return -1;
    }
    int at = e.valueAt() + (int) index * typeSize(e.type());
    return switch (e.type()) {
      case 1 -> Bytes.u8(bytes, at);
      case 3 -> Bytes.u16(bytes, at, little);
      case 4 -> Bytes.u32(bytes, at, little);
      case 16 -> Bytes.u64(bytes, at, little);
      default -> -1;
    };
  }

  /** Single unsigned value of {@code tag}, {@code absent} when there is no such entry. */
  long single(int tag, long absent) {
    Entry e = entry(tag);
    if (e == null) {
      return absent;
    }
    return e.count() == 1 ? value(e, 0) : -1;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }
}
