package dev.classifier.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The test venv's interpreter (.ci/python-venv.sh makes it; env XCEPTION_TEST_VENV, default
 * ~/.cache/xception-classifier/venv). A test needing it is skipped with a message without it, and
 * fails with CI=true.
 */
public final class PythonVenv {

  private final Path python;

  private PythonVenv(Path python) {
    this.python = python;
  }

  /**
   * @param modules imported to check the venv has them, e.g. {@code grpc, grpc_tools}
   */
  public static PythonVenv require(String modules) throws InterruptedException {
    String configured = System.getenv("XCEPTION_TEST_VENV");
    Path venv =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".cache", "xception-classifier", "venv");
    Path python = venv.resolve("bin").resolve("python");
    boolean usable = false;
    if (Files.isExecutable(python)) {
      try {
        Process p =
            new ProcessBuilder(python.toString(), "-c", "import " + modules)
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        usable = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        usable = false;
      }
    }
    if (!usable) {
      String message =
          "no Python venv with " + modules + " at " + venv + " (bash .ci/python-venv.sh makes it)";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but " + message);
      }
      Assumptions.abort(message + "; set CI=true to make this a failure");
    }
    return new PythonVenv(python);
  }

  /** Runs a script; fails the test with its standard error on a non-zero exit. */
  public String run(Path script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    byte[] err;
    String out;
    try (var stderr = p.getErrorStream()) {
      out = new String(p.getInputStream().readAllBytes());
      err = stderr.readAllBytes();
    }
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(script + " failed: " + new String(err));
    }
    return out;
  }
}
