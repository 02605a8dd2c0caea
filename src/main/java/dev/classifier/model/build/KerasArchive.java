package dev.classifier.model.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens a Keras 3 {@code .keras} archive (a zip of {@code config.json}, {@code model.weights.h5}
 * and {@code metadata.json}) with bounded work: the entries are counted, every name is checked
 * against paths outside the archive, and each entry is inflated only up to its own limit, counted
 * as the bytes come out rather than trusted from the header.
 */
final class KerasArchive {

  /** Most entries an archive may list: Keras writes three (plus assets for some layers). */
  static final int MAX_ENTRIES = 64;

  /** Largest {@code config.json}: the full Xception's is 141 kB, a nested model's twice that. */
  static final long MAX_CONFIG_BYTES = 16L << 20;

  /** Largest {@code metadata.json}: Keras writes about 64 bytes. */
  static final long MAX_METADATA_BYTES = 64L << 10;

  /** Largest {@code model.weights.h5} once inflated: Xception's is 92 MB. */
  static final long MAX_WEIGHTS_BYTES = 2L << 30;

  static final String CONFIG = "config.json";
  static final String WEIGHTS = "model.weights.h5";
  static final String METADATA = "metadata.json";

  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private KerasArchive() {}

  /** True when the file starts like a zip archive (a local file header). */
  static boolean looksLikeZip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return java.util.Arrays.equals(head, ZIP_MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /** The archive's {@code config.json}, at most {@link #MAX_CONFIG_BYTES}. */
  static byte[] config(Path archive) {
    try (ZipFile zip = open(archive)) {
      return read(zip, archive, CONFIG, MAX_CONFIG_BYTES);
    } catch (IOException e) {
      throw damaged(archive, e);
    }
  }

  /**
   * Copies the archive's {@code model.weights.h5} to {@code target} (at most {@link
   * #MAX_WEIGHTS_BYTES}): the HDF5 reader needs a seekable file.
   */
  static void extractWeights(Path archive, Path target) {
    try (ZipFile zip = open(archive)) {
      ZipEntry entry = entry(zip, archive, WEIGHTS, MAX_WEIGHTS_BYTES);
      try (InputStream in = zip.getInputStream(entry);
          OutputStream out = Files.newOutputStream(target)) {
        copyBounded(in, out, archive, WEIGHTS, MAX_WEIGHTS_BYTES);
      }
    } catch (IOException e) {
      throw damaged(archive, e);
    }
  }

  private static ZipFile open(Path archive) throws IOException {
    if (!looksLikeZip(archive)) {
      throw new KerasWeightsException(
          archive + " is not a zip archive, so not a Keras 3 .keras file");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(archive.toFile());
    } catch (ZipException e) {
      throw new KerasWeightsException(
          archive + " is a truncated or damaged zip archive (" + e.getMessage() + ")", e);
    }
    try {
      checkEntries(zip, archive);
    } catch (RuntimeException e) {
      zip.close();
      throw e;
    }
    return zip;
  }

  private static void checkEntries(ZipFile zip, Path archive) {
    if (zip.size() > MAX_ENTRIES) {
      throw new KerasWeightsException(
          archive + " lists " + zip.size() + " entries; at most " + MAX_ENTRIES + " are read");
    }
    Enumeration<? extends ZipEntry> entries = zip.entries();
    try {
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (outside(name)) {
          throw new KerasWeightsException(
              archive + " has an entry named '" + name + "', a path outside the archive");
        }
      }
    } catch (IllegalArgumentException malformed) {
      // ZipFile decodes each name as it is listed and says so with an unchecked exception. Every
      // name is listed here first, so a later lookup by name never meets an undecodable one.
      throw new KerasWeightsException(
          archive + " has an entry name that is not valid UTF-8, so it is a damaged archive",
          malformed);
    }
  }

  /** An absolute path, a Windows drive or a {@code ..} step would leave the extraction folder. */
  static boolean outside(String name) {
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')) {
      return true;
    }
    for (String step : n.split("/", -1)) {
      if (step.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static ZipEntry entry(ZipFile zip, Path archive, String name, long limit) {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new KerasWeightsException(archive + " has no " + name + ": not a Keras 3 .keras file");
    }
    if (entry.getSize() > limit) {
      throw new KerasWeightsException(tooLarge(archive, name, limit));
    }
    return entry;
  }

  private static byte[] read(ZipFile zip, Path archive, String name, long limit)
      throws IOException {
    ZipEntry entry = entry(zip, archive, name, limit);
    try (InputStream in = zip.getInputStream(entry)) {
      // one byte past the limit tells an entry that lied about its size from one that fits
      byte[] bytes = in.readNBytes((int) limit + 1);
      if (bytes.length > limit) {
        throw new KerasWeightsException(tooLarge(archive, name, limit));
      }
      return bytes;
    }
  }

  private static void copyBounded(
      InputStream in, OutputStream out, Path archive, String name, long limit) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
      if (total > limit) {
        throw new KerasWeightsException(tooLarge(archive, name, limit));
      }
      out.write(buffer, 0, n);
    }
  }

  private static String tooLarge(Path archive, String name, long limit) {
    return archive + ": " + name + " inflates past the limit of " + limit + " bytes";
  }

  private static KerasWeightsException damaged(Path archive, IOException e) {
    return new KerasWeightsException(
        "cannot read " + archive + ": a truncated or damaged zip archive (" + e.getMessage() + ")",
        e);
  }
}
