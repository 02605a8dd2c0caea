package dev.classifier.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the 1000 ImageNet classes from the labels file in {@code models/}: one line per class,
 * {@code index<TAB>wnid<TAB>name}, in class-index order; lines starting with {@code #} are
 * comments.
 */
public final class ImageNetLabels {

  static final int CLASSES = 1000;
  private static final Pattern WNID = Pattern.compile("n\\d{8}");

  private ImageNetLabels() {}

  /**
   * @return the labels in class-index order, so that {@code get(i).index() == i}
   */
  public static List<ImageNetLabel> load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ImageNet labels " + file, e);
    }
    List<ImageNetLabel> labels = new ArrayList<>(CLASSES);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      String where = file + " line " + (i + 1) + ": ";
      if (fields.length != 3) {
        throw new IllegalArgumentException(
            where + "expected index<TAB>wnid<TAB>name, found '" + line + "'");
      }
      int index;
      try {
        index = Integer.parseInt(fields[0].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + "index '" + fields[0] + "' is not a number");
      }
      if (index != labels.size()) {
        throw new IllegalArgumentException(
            where + "expected class index " + labels.size() + ", found " + index);
      }
      if (!WNID.matcher(fields[1]).matches()) {
        throw new IllegalArgumentException(
            where + "'" + fields[1] + "' is not a WordNet id like n01440764");
      }
      if (fields[2].isBlank()) {
        throw new IllegalArgumentException(where + "class " + index + " has no name");
      }
      labels.add(new ImageNetLabel(index, fields[1], fields[2].trim()));
    }
    if (labels.size() != CLASSES) {
      throw new IllegalArgumentException(
          file + ": expected " + CLASSES + " classes, found " + labels.size());
    }
    return List.copyOf(labels);
  }
}
