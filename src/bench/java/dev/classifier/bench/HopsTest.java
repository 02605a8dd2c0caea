package dev.classifier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import java.awt.Color;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The hop table from a real exchange: the service's Hop events of one request to an idle service,
 * recorded in-process, split and named as the benchmark does; the request's session call runs on
 * the container thread that prepared its image (no worker, no executor).
 */
class HopsTest extends TinyModelServer {

  @LocalServerPort int port;

  @Test
  void oneRequestToAnIdleServiceTakesEveryStageAndRunsItsSessionCallWithoutAHandOff()
      throws Exception {
    List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    CountDownLatch completed = new CountDownLatch(1);
    byte[] png = TestImages.solid(SIZE, SIZE, new Color(120, 0, 0), "png");
    try (RecordingStream recording = new RecordingStream()) {
      recording.enable("dev.classifier.Hop");
      recording.setMaxAge(Duration.ofMinutes(1));
      recording.onEvent(
          "dev.classifier.Hop",
          event -> {
            events.add(event);
            if (event.getString("stage").equals("completed")) {
              completed.countDown();
            }
          });
      recording.startAsync();
      // The stream takes a moment to start recording: send until one exchange is seen whole.
      try (LeanHttpClient http =
          new LeanHttpClient(
              URI.create("http://127.0.0.1:" + port + "/v1/classify"), "image/png", png)) {
        do {
          assertThat(http.send().status()).isEqualTo(200);
        } while (!completed.await(2, TimeUnit.SECONDS));
      }
    }

    Hops.Breakdown breakdown = Hops.analyse(events);
    assertThat(breakdown.requests()).isPositive();
    List<String> path =
        breakdown.steps().stream().map(s -> s.from() + " → " + s.to()).distinct().toList();
    assertThat(path)
        .startsWith(
            "request → body-complete",
            "body-complete → dispatched",
            "dispatched → submitted",
            "submitted → session-start",
            "session-start → session-end",
            "session-end → assembled",
            "assembled → completed");
    for (Hops.Step step : breakdown.steps()) {
      if (List.of("submitted", "session-start", "session-end").contains(step.from())) {
        assertThat(step.handOff()).as(step.from() + " → " + step.to()).isFalse();
        assertThat(step.fromThread()).isEqualTo("container thread");
      }
    }
  }
}
