package dev.classifier.model.build;

import dev.classifier.image.ImageLimits;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.image.ImageRejectedException;
import dev.classifier.image.InputSpec;
import dev.classifier.image.MemoryBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The images of a folder (not its sub-folders), in file-name order, decoded and preprocessed by the
 * service's own pipeline so that a tool sees exactly the tensors the service would compute. Files
 * that are not images, or that the service would refuse, are skipped with a message. Work is
 * bounded: at most {@value #MAX_ENTRIES} directory entries are listed, at most {@code limit} files
 * used, each at most {@value #MAX_FILE_BYTES} bytes and {@value #MAX_PIXELS} pixels (the service's
 * default), one image in memory at a time.
 */
public final class ImageFolder {

  public static final int MAX_ENTRIES = 100_000;
  public static final long MAX_FILE_BYTES = 64L << 20;
  public static final long MAX_PIXELS = ImageLimits.DEFAULT_MAX_PIXELS;

  /**
   * The service's pipeline under its default limits. A tool holds one image at a time, so no memory
   * budget is shared: the pixel limit alone bounds each decode.
   */
  public static ImagePreprocessor preprocessor() {
    return new ImagePreprocessor(ImageLimits.defaults(), new MemoryBudget(Long.MAX_VALUE));
  }

  /** Receives each usable image. */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param pixels 3 × height × width floats in the requested layout and scaling
     */
    void accept(Path file, float[] pixels);
  }

  private final Path dir;
  private final List<Path> files;
  private final int found;

  /**
   * @param limit the most files used (the first ones by name)
   * @throws IllegalArgumentException when {@code dir} is not a readable folder, holds more than
   *     {@value #MAX_ENTRIES} entries, or no file
   */
  public ImageFolder(Path dir, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the image limit must be at least 1: " + limit);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no such folder: " + dir);
    }
    List<Path> all = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (all.size() == MAX_ENTRIES) {
          throw new IllegalArgumentException(
              dir + " holds more than " + MAX_ENTRIES + " entries: use a smaller folder");
        }
        if (Files.isRegularFile(entry) && !entry.getFileName().toString().startsWith(".")) {
          all.add(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no files in " + dir);
    }
    all.sort(Comparator.comparing(p -> p.getFileName().toString()));
    this.dir = dir;
    this.found = all.size();
    this.files = List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  public Path dir() {
    return dir;
  }

  /** Files in the folder, before the limit. */
  public int found() {
    return found;
  }

  /** The files that will be read, in order. */
  public List<Path> files() {
    return files;
  }

  /**
   * Decodes and preprocesses each file and hands the usable ones to {@code sink}.
   *
   * @param skipped told about each file that is not used, and why
   * @return how many images reached the sink
   */
  public int forEach(InputSpec spec, Sink sink, Consumer<String> skipped) {
    ImagePreprocessor preprocessor = preprocessor();
    int used = 0;
    for (Path file : files) {
      float[] pixels;
      try {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
          skipped.accept(
              "skipped " + file.getFileName() + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
          continue;
        }
        pixels = preprocessor.prepare(Files.readAllBytes(file), spec).pixels();
      } catch (ImageRejectedException e) {
        skipped.accept("skipped " + file.getFileName() + ": " + e.getMessage());
        continue;
      } catch (IOException e) {
        skipped.accept("skipped " + file.getFileName() + ": cannot read it (" + e + ")");
        continue;
      }
      sink.accept(file, pixels);
      used++;
    }
    return used;
  }
}
