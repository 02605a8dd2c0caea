package dev.classifier.model.build;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs src/test/python/keras_models.py in the test venv (TensorFlow + Keras 3; {@code bash
 * .ci/python-venv.sh} makes it, XCEPTION_TEST_VENV says where). Skipped with a message on a
 * developer machine without it, a failure with CI=true.
 */
final class KerasReference {

  private static final Path SCRIPT = Path.of("src", "test", "python", "keras_models.py");

  private KerasReference() {}

  static Path python() {
    String venv = System.getenv("XCEPTION_TEST_VENV");
    Path dir =
        venv != null && !venv.isBlank()
            ? Path.of(venv)
            : Path.of(System.getProperty("user.home"), ".cache", "xception-classifier", "venv");
    Path python = dir.resolve("bin").resolve("python");
    if (!Files.isExecutable(python) || !imports(python)) {
      String why =
          "no Python with TensorFlow and Keras 3 in "
              + dir
              + " (run bash .ci/python-venv.sh, or set XCEPTION_TEST_VENV)";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but " + why);
      }
      Assumptions.abort(why + "; set CI=true to make this a failure");
    }
    return python;
  }

  private static boolean imports(Path python) {
    try {
      Process p =
          new ProcessBuilder(python.toString(), "-c", "import keras, tensorflow")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Writes every model, its inputs and Keras' predictions into {@code dir}. */
  static void generate(Path dir) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(python().toString(), SCRIPT.toString(), dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keras_models.log").toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail(
          "keras_models.py failed: "
              + Files.readString(dir.resolve("keras_models.log"), StandardCharsets.UTF_8));
    }
  }
}
