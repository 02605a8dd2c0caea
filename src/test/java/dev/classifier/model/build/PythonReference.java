package dev.classifier.model.build;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs src/test/python/xception_reference.py (NumPy + h5py). Tests using it are skipped only on a
 * developer machine without those packages; with CI=true a missing interpreter fails the build
 * instead.
 */
final class PythonReference {

  private static final Path SCRIPT = Path.of("src", "test", "python", "xception_reference.py");

  private final String python;

  private PythonReference(String python) {
    this.python = python;
  }

  static PythonReference require() {
    Optional<String> python = find();
    if (python.isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        fail(
            "CI=true but no python3 with numpy and h5py found (apt-get install python3-numpy python3-h5py)");
      }
      Assumptions.abort(
          "python3 with numpy and h5py not found; set CI=true to make this a failure");
    }
    return new PythonReference(python.get());
  }

  /**
   * XCEPTION_TEST_PYTHON first, then python3 on the PATH, then Debian's interpreter (a pyenv may
   * shadow it).
   */
  private static Optional<String> find() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("XCEPTION_TEST_PYTHON");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    candidates.add("python3");
    candidates.add("/usr/bin/python3");
    for (String candidate : candidates) {
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import numpy, h5py")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(candidate);
        }
      } catch (IOException e) {
        // not installed under this name: try the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * @return the script's standard output; fails the test with its standard error on a non-zero exit
   */
  String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python, SCRIPT.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
    byte[] err = p.getErrorStream().readAllBytes();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("python reference " + args[0] + " failed: " + new String(err, StandardCharsets.UTF_8));
    }
    return out;
  }
}
