package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes ONNX models so that readers never see a half-written file. */
final class OnnxModelFiles {

  private OnnxModelFiles() {}

  /**
   * Writes to a temporary file next to {@code target} and renames it into place; on failure nothing
   * is left.
   */
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
          Files.move(
              tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

  /**
   * Temporary files are created owner-only; the model must stay readable by a service running as
   * another user.
   */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its default permissions apply
    }
  }
}
