package dev.classifier.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class names a model's output indices map to, read from a tab-separated file with one line per
 * class in index order: {@code index<TAB>id<TAB>name} (e.g. ImageNet's WordNet ids) or {@code
 * index<TAB>name}; lines starting with {@code #} are comments. Any number of classes; the service
 * checks at start-up that it matches the model's output.
 */
public record LabelSet(List<ClassLabel> all) {

  public LabelSet {
    all = List.copyOf(all);
  }

  public ClassLabel get(int index) {
    return all.get(index);
  }

  public int size() {
    return all.size();
  }

  /**
   * @return the labels in class-index order, so that {@code get(i).index() == i}
   * @throws IllegalArgumentException naming the file and line of the first malformed line
   */
  public static LabelSet load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read labels " + file, e);
    }
    return parse(file.toString(), lines);
  }

  /**
   * The labels a model file carries in its metadata ({@link ModelMetadata#LABELS}), in the format
   * of {@link #load}.
   *
   * @param source names the model in messages
   */
  public static LabelSet parse(String source, String text) {
    return parse(source, text.lines().toList());
  }

  /** Where the jar carries ImageNet's names: a copy of models/imagenet-labels.tsv. */
  public static final String BUNDLED_IMAGENET = "imagenet-labels.tsv";

  /**
   * ImageNet's names from {@code file} when it exists, else the copy the jar carries, so that the
   * service starts on its default model from any working directory.
   *
   * @throws IllegalStateException when neither exists (classes run outside the jar, without the
   *     file)
   */
  public static LabelSet imagenet(Path file) {
    if (Files.isRegularFile(file)) {
      return load(file);
    }
    try (var in = LabelSet.class.getClassLoader().getResourceAsStream(BUNDLED_IMAGENET)) {
      if (in == null) {
        throw new IllegalStateException(
            "no label file " + file + " and no " + BUNDLED_IMAGENET + " on the class path");
      }
      return parse(
          "the jar's " + BUNDLED_IMAGENET, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the jar's " + BUNDLED_IMAGENET, e);
    }
  }

  /** {@code class_0 … class_{n-1}}: the names of a model that was given none. */
  public static LabelSet generic(int classes) {
    List<ClassLabel> labels = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      labels.add(new ClassLabel(i, null, "class_" + i));
    }
    return new LabelSet(labels);
  }

  /** The labels in the text format {@link #parse} reads: {@code index<TAB>[id<TAB>]name} lines. */
  public String toText() {
    StringBuilder text = new StringBuilder();
    for (ClassLabel l : all) {
      text.append(l.index()).append('\t');
      if (l.id() != null) {
        text.append(l.id()).append('\t');
      }
      text.append(l.name()).append('\n');
    }
    return text.toString();
  }

  private static LabelSet parse(String file, List<String> lines) {
    List<ClassLabel> labels = new ArrayList<>();
    int columns = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      String where = file + " line " + (i + 1) + ": ";
      if (fields.length != 2 && fields.length != 3) {
        throw new IllegalArgumentException(
            where + "expected index<TAB>id<TAB>name or index<TAB>name, found '" + line + "'");
      }
      if (columns != 0 && fields.length != columns) {
        throw new IllegalArgumentException(
            where + "has " + fields.length + " columns, earlier lines have " + columns);
      }
      columns = fields.length;
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
      String id = null;
      if (columns == 3) {
        id = fields[1].trim();
        if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
          throw new IllegalArgumentException(
              where + "id '" + fields[1] + "' is empty or has spaces");
        }
      }
      String name = fields[columns - 1].trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(where + "class " + index + " has no name");
      }
      labels.add(new ClassLabel(index, id, name));
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException(file + " has no labels");
    }
    return new LabelSet(labels);
  }
}
