package dev.classifier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the benchmark's main that read what the service said. */
class BenchmarkTest {

  @Test
  void startupStepsAreTheServicesOwnLogLinesInOrder() {
    List<String> log =
        List.of(
            "2026-12-03T13:16:35.355Z  INFO 31738 --- [xception-classifier] [           main] []"
                + " dev.classifier.ClassifierApplication     : Starting ClassifierApplication"
                + " v0.1.0-SNAPSHOT using Java 17.0.15",
            "2026-12-03T13:16:43.420Z  INFO 31738 --- [xception-classifier] [           main] []"
                + " dev.classifier.ClassifierApplication     : Started ClassifierApplication in"
                + " 8.726 seconds (process running for 9.818)",
            "2026-12-03T13:16:45.026Z  INFO 31738 --- [xception-classifier] [           main] []"
                + " dev.classifier.config.WarmUp             : warm-up done in 1499 ms: 60"
                + " decode+preprocess passes (815 ms), 4 inference(s)",
            "2026-12-03T13:16:45.500Z  INFO 31738 --- [xception-classifier] [io-18080-exec-5] []"
                + " dev.classifier.request                   : request requestId=warm-up-1"
                + " status=200",
            "2026-12-03T13:16:51.931Z  INFO 31738 --- [xception-classifier] [           main] []"
                + " dev.classifier.http.HttpWarmUp           : settled after the warm-up in 3001"
                + " ms (still busy at classifier.warm-up.settle-timeout)");

    assertThat(Benchmark.startupSteps(log))
        .isEqualTo(
            "Started ClassifierApplication in 8.726 seconds; warm-up done in 1499 ms; settled"
                + " after the warm-up in 3001 ms");
  }

  @Test
  void aLogWithoutTheStepsGivesNothing() {
    assertThat(Benchmark.startupSteps(List.of("Picked up JAVA_TOOL_OPTIONS: -Xmx1g"))).isEmpty();
  }
}
