package dev.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The argument file that lowers the request path's compile thresholds names packages that exist,
 * and the JVM accepts every command in it.
 */
class RequestPathJitArgsTest {

  private static final Path ARGS = Path.of("src/main/jvm/request-path-jit.args");

  private static final Pattern SCALING =
      Pattern.compile("-XX:CompileCommand=CompileThresholdScaling,([a-z.]+)\\.\\*::\\*,([0-9.]+)");

  @Test
  void theShippedFileLowersThresholdsOfPackagesThatExist() throws Exception {
    List<String> options = options();

    // One class each of the request path's packages: a renamed package (Jackson 2's
    // com.fasterxml became tools.jackson) would scale nothing, and fails here.
    Map<String, String> requestPath =
        Map.ofEntries(
            Map.entry("org.apache.catalina", "org.apache.catalina.connector.Request"),
            Map.entry("org.apache.coyote", "org.apache.coyote.http11.Http11Processor"),
            Map.entry("org.apache.tomcat", "org.apache.tomcat.util.net.NioEndpoint"),
            Map.entry(
                "org.springframework.web", "org.springframework.web.servlet.DispatcherServlet"),
            Map.entry("org.springframework.http", "org.springframework.http.HttpHeaders"),
            Map.entry(
                "org.springframework.security.web",
                "org.springframework.security.web.FilterChainProxy"),
            Map.entry("io.micrometer", "io.micrometer.observation.Observation"),
            Map.entry("io.opentelemetry", "io.opentelemetry.api.trace.Span"),
            Map.entry("tools.jackson", "tools.jackson.databind.ObjectMapper"),
            Map.entry("ch.qos.logback", "ch.qos.logback.classic.Logger"),
            Map.entry("dev.classifier", "dev.classifier.http.HttpWarmUp"));
    assertThat(scaledPackages(options)).containsExactlyInAnyOrderElementsOf(requestPath.keySet());
    assertThat(options.stream().map(SCALING::matcher).filter(Matcher::matches))
        .allSatisfy(m -> assertThat(Double.parseDouble(m.group(2))).isLessThan(1));
    for (String type : requestPath.values()) {
      assertThat(Class.forName(type, false, getClass().getClassLoader())).isNotNull();
    }
  }

  @Test
  void theJvmAcceptsEveryCommandOfTheShippedFile(@TempDir Path dir) throws Exception {
    List<String> options = options();
    // Without "quiet" the JVM prints each command it parsed, and only those.
    Path loud = dir.resolve("loud.args");
    Files.write(loud, options.stream().filter(o -> !o.equals("-XX:CompileCommand=quiet")).toList());
    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + loud,
                "-version")
            .redirectErrorStream(true)
            .start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(java.exitValue()).as(output).isZero();
    assertThat(output).doesNotContainIgnoringCase("error");
    for (String pkg : scaledPackages(options)) {
      assertThat(output)
          .contains(
              "CompileThresholdScaling "
                  + pkg.replace('.', '/')
                  + "/*.* double CompileThresholdScaling = 0.100000");
    }
  }

  /** The file's options, one per line, without its comments and blank lines. */
  private static List<String> options() throws IOException {
    return Files.readAllLines(ARGS).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  private static List<String> scaledPackages(List<String> options) {
    return options.stream()
        .map(SCALING::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(1))
        .toList();
  }
}
