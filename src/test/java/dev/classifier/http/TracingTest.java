package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.OtlpReceiver;
import dev.classifier.testing.OtlpReceiver.Span;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tracing end to end against a real trace backend on loopback ({@link OtlpReceiver}: OTLP/HTTP
 * parsed with OpenTelemetry's own classes): with a caller's {@code traceparent} the request's span
 * continues that trace under the caller's span; without one it starts a trace of its own; either
 * way the span carries the request id, model and precision, and the request log line names the
 * trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class TracingTest {

  private static final OtlpReceiver backend = new OtlpReceiver();
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @DynamicPropertySource
  static void service(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("tracing-test");
    Path model =
        TinyModels.writeCnn(
            dir.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 16, 1000, true, "synthetic:7");
    registry.add("classifier.model.path", model::toString);
    registry.add("management.opentelemetry.tracing.export.otlp.endpoint", backend::endpoint);
    registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "50ms");
    registry.add("management.tracing.sampling.probability", () -> "1.0");
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void aCallersTraceparentIsContinuedUnderTheCallersSpan(CapturedOutput output) {
    HttpResponse<String> response =
        classify(
            "traced-1", Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));
    assertThat(response.statusCode()).isEqualTo(200);

    Span server = serverSpan("traced-1");
    assertThat(server.traceId()).isEqualTo(CALLER_TRACE);
    assertThat(server.parentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(server.name()).isEqualTo("http post /v1/classify");
    assertThat(server.attributes())
        .containsEntry("classifier.request.id", "traced-1")
        .containsEntry("classifier.model.name", "xception")
        .containsEntry("classifier.model.precision", "fp32");
    assertThat(logLine(output, "traced-1")).contains(" traceId=" + CALLER_TRACE + " ");
  }

  @Test
  void withoutTraceparentTheRequestStartsATraceOfItsOwn(CapturedOutput output) {
    assertThat(classify("untraced-1", Map.of()).statusCode()).isEqualTo(200);

    Span server = serverSpan("untraced-1");
    assertThat(server.parentSpanId()).isEmpty();
    assertThat(server.traceId()).hasSize(32).isNotEqualTo("0".repeat(32));
    assertThat(server.attributes()).containsEntry("classifier.request.id", "untraced-1");
    assertThat(logLine(output, "untraced-1")).contains(" traceId=" + server.traceId() + " ");
  }

  @Test
  void theStagesAreChildSpansOfTheRequestsClassifySpan() {
    assertThat(
            classify(
                    "staged-1",
                    Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"))
                .statusCode())
        .isEqualTo(200);

    Span server = serverSpan("staged-1");
    Span classify = single(s -> s.parentSpanId().equals(server.spanId()), "classify");
    assertThat(classify.attributes())
        .containsEntry("classifier.request.id", "staged-1")
        .containsEntry("classifier.model.name", "xception")
        .containsEntry("classifier.model.precision", "fp32");
    // One image and a free worker: its session call runs on the request thread, so it never waits
    // in the queue and has no "queue wait" span.
    List<Span> stages = backend.await(s -> s.parentSpanId().equals(classify.spanId()), 4);
    assertThat(stages)
        .extracting(Span::name)
        .containsExactlyInAnyOrder("admission", "decode", "preprocess", "session call");
    assertThat(stages).allMatch(s -> s.traceId().equals(CALLER_TRACE));
    Span call =
        stages.stream().filter(s -> s.name().equals("session call")).findFirst().orElseThrow();
    assertThat(call.attributes())
        .containsEntry("classifier.batch.size", "1")
        .containsEntry("classifier.batch.request.ids", "staged-1");
  }

  @Test
  void stageSpansAddNoMetersOfTheirOwn() {
    String scrape = new HttpTestClient(managementPort).get("/actuator/prometheus").body();

    assertThat(scrape)
        .doesNotContain("classifier_span")
        .contains("classifier_decode_seconds_count");
  }

  @Test
  void openMetricsScrapesCarryExemplarsOnlyWherePrometheus242AcceptsThem() {
    assertThat(classify("exemplar-1", Map.of()).statusCode()).isEqualTo(200);

    HttpResponse<String> scrape =
        new HttpTestClient(managementPort)
            .get(
                "/actuator/prometheus",
                Map.of("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"));

    List<String> withExemplars =
        scrape.body().lines().filter(l -> !l.startsWith("#") && l.contains(" # {")).toList();
    assertThat(withExemplars)
        .as("sampled at probability 1.0, the request's stages leave exemplars")
        .anyMatch(l -> l.startsWith("classifier_decode_seconds_bucket{"))
        .allMatch(
            l -> l.matches("^[a-zA-Z_:][a-zA-Z0-9_:]*_(bucket|total)[{ ].*"),
            "only counters and histogram buckets carry exemplars");
  }

  private static Span single(java.util.function.Predicate<Span> matching, String name) {
    List<Span> found = backend.await(matching.and(s -> s.name().equals(name)), 1);
    assertThat(found).as("%s spans in %s", name, backend.spans()).hasSize(1);
    return found.get(0);
  }

  private HttpResponse<String> classify(String requestId, Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("X-Request-Id", requestId);
    byte[] png = TestImages.solid(20, 20, new Color(90, 0, 0), "png");
    return new HttpTestClient(port).postRaw("/v1/classify", "image/png", png, all);
  }

  private static Span serverSpan(String requestId) {
    List<Span> found =
        backend.await(
            s ->
                "SPAN_KIND_SERVER".equals(s.kind())
                    && requestId.equals(s.attributes().get("classifier.request.id")),
            1);
    assertThat(found).as("server spans of %s in %s", requestId, backend.spans()).hasSize(1);
    return found.get(0);
  }

  private static String logLine(CapturedOutput output, String requestId) {
    List<String> lines =
        output
            .getOut()
            .lines()
            .filter(l -> l.contains("request requestId=" + requestId + " "))
            .toList();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }
}
