package dev.classifier.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes ONNX models so that readers never see a half-written file, and reads their metadata cheaply. */
final class OnnxModelFiles {

  private static final int METADATA_PROPS_FIELD = ModelProto.METADATA_PROPS_FIELD_NUMBER;

  private OnnxModelFiles() {}

  /** Writes to a temporary file next to {@code target} and renames it into place; on failure nothing is left. */
  static long writeAtomically(ModelProto model, Path target) {
    Path absolute = target.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
      Path tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
      try {
        readableByAll(tmp);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
          model.writeTo(out);
        }
        try {
          Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
          Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.size(absolute);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model " + target, e);
    }
  }

  /** Temporary files are created owner-only; the model must stay readable by a service running as another user. */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its default permissions apply
    }
  }

  /**
   * Reads {@code metadata_props} by streaming over the model and skipping the (large) graph instead of
   * parsing it, so that checking a 90 MB model costs one sequential read and no heap.
   */
  static Map<String, String> readMetadata(Path model) {
    Map<String, String> metadata = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(model)) {
      CodedInputStream coded = CodedInputStream.newInstance(in, 1 << 16);
      for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == METADATA_PROPS_FIELD
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          StringStringEntryProto entry = StringStringEntryProto.parseFrom(coded.readBytes());
          metadata.put(entry.getKey(), entry.getValue());
        } else if (!coded.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model metadata from " + model, e);
    }
    return metadata;
  }
}
