package dev.classifier.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes little-endian classic TIFFs entry by entry, so that tests can forge any field: IFD0 at
 * offset 8, then the values that do not fit in their entries, then the pixel data.
 */
final class TiffBuilder {

  private record Field(int tag, int type, long count, byte[] value, Long forgedOffset) {}

  private final List<Field> fields = new ArrayList<>();
  private long nextIfd;
  private byte[] pixels = new byte[0];

  /** An uncompressed 8-bit RGB image in one strip, every pixel (r, g, b). */
  static TiffBuilder rgb(int width, int height, int r, int g, int b) {
    byte[] pixels = new byte[width * height * 3];
    for (int i = 0; i < pixels.length; i += 3) {
      pixels[i] = (byte) r;
      pixels[i + 1] = (byte) g;
      pixels[i + 2] = (byte) b;
    }
    return new TiffBuilder()
        .longs(256, width)
        .longs(257, height)
        .shorts(258, 8, 8, 8)
        .shorts(259, 1)
        .shorts(262, 2)
        .shorts(277, 3)
        .longs(278, height)
        .longs(279, pixels.length)
        .pixels(pixels)
        .stripOffsetsToPixels();
  }

  TiffBuilder shorts(int tag, int... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putShort((short) v);
    }
    return put(new Field(tag, 3, values.length, b.array(), null));
  }

  TiffBuilder longs(int tag, long... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putInt((int) v);
    }
    return put(new Field(tag, 4, values.length, b.array(), null));
  }

  TiffBuilder bytes(int tag, int type, byte[] value) {
    return put(new Field(tag, type, value.length, value, null));
  }

  /** An entry whose count and value offset are whatever the test says, with no value written. */
  TiffBuilder forged(int tag, int type, long count, long offset) {
    return put(new Field(tag, type, count, new byte[0], offset));
  }

  TiffBuilder remove(int tag) {
    fields.removeIf(f -> f.tag() == tag);
    return this;
  }

  TiffBuilder nextIfd(long offset) {
    this.nextIfd = offset;
    return this;
  }

  TiffBuilder pixels(byte[] pixels) {
    this.pixels = pixels;
    return this;
  }

  /** StripOffsets (273) is filled in at build time to point at the pixel data. */
  TiffBuilder stripOffsetsToPixels() {
    return pixelOffset(273);
  }

  /** A one-value LONG entry filled in at build time with the offset of the pixel data. */
  TiffBuilder pixelOffset(int tag) {
    return put(new Field(tag, 4, 1, null, null));
  }

  private TiffBuilder put(Field field) {
    fields.removeIf(f -> f.tag() == field.tag());
    fields.add(field);
    return this;
  }

  /** Offset of the first entry of IFD0 (after its 2-byte count). */
  static final int FIRST_ENTRY = 10;

  byte[] build() {
    fields.sort(Comparator.comparingInt(Field::tag));
    int ifdSize = 2 + 12 * fields.size() + 4;
    int valuesAt = 8 + ifdSize;
    int valuesSize = 0;
    for (Field f : fields) {
      if (f.value() != null && f.value().length > 4) {
        valuesSize += f.value().length + (f.value().length & 1);
      }
    }
    int pixelsAt = valuesAt + valuesSize;
    ByteBuffer out = ByteBuffer.allocate(pixelsAt + pixels.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    out.putShort((short) fields.size());
    int values = valuesAt;
    for (Field f : fields) {
      out.putShort((short) f.tag()).putShort((short) f.type()).putInt((int) f.count());
      if (f.forgedOffset() != null) {
        out.putInt((int) (long) f.forgedOffset());
      } else if (f.value() == null) {
        out.putInt(pixelsAt);
      } else if (f.value().length <= 4) {
        byte[] inline = new byte[4];
        System.arraycopy(f.value(), 0, inline, 0, f.value().length);
        out.put(inline);
      } else {
        out.putInt(values);
        out.put(values, f.value());
        values += f.value().length + (f.value().length & 1);
      }
    }
    out.putInt((int) nextIfd);
    out.put(pixelsAt, pixels);
    return out.array();
  }
}
