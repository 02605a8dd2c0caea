package dev.classifier.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.image.HostileUploads;
import dev.classifier.testing.PackagedService;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged jar in its own JVM with a small heap ({@code -Xmx256m -XX:+ExitOnOutOfMemoryError},
 * so a heap the limits fail to protect ends the process instead of degrading it) and the service's
 * default limits (20 MiB uploads, 50 MP, 16 parts, queue 16, a memory budget of half the heap),
 * under bursts of 32 concurrent uploads at those limits, raw and multipart. Each upload may only be
 * answered as the README documents for it; the process must survive without an OutOfMemoryError and
 * still classify a small image afterwards.
 *
 * <p>The tiny model keeps inference cheap, so what is exercised is what the limits guard: bodies,
 * decode buffers and metadata.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtLimitUploadsIT {

  private static final int MAX_UPLOAD = 20 * 1024 * 1024;
  private static final int MAX_PIXELS = 50_000_000;
  private static final int MAX_PARTS = 16;
  private static final int CLIENTS = 32;
  private static final int ROUNDS = 3;
  private static final Pattern TYPE =
      Pattern.compile("\"type\"\\s*:\\s*\"urn:problem-type:classifier:([a-z-]+)\"");

  private static final String OK = "200";
  private static final String QUEUE_FULL = "429 queue-full";
  private static final String OVERLOADED = "503 overloaded";
  private static final String PAYLOAD_TOO_LARGE = "413 payload-too-large";
  private static final String IMAGE_TOO_LARGE = "413 image-too-large";
  private static final String CORRUPT = "422 corrupt-image";

  /**
   * A connection closed with no response: never documented. A refused body is answered at once and
   * read away (up to 64 MiB), so even a client that sends it all before reading, as the JDK
   * HttpClient does (no {@code Expect: 100-continue}), gets its refusal.
   */
  private static final String LOST = "no response";

  /**
   * One at-limit upload and the outcomes the README documents for it. Every image that reaches
   * admission may get 429 (the queue is reserved before decoding) and every body may get 503
   * overloaded (the memory budget is reserved as it arrives), so those two are allowed wherever the
   * body is within the upload limit. 503 not-ready is not: readiness is UP before the first
   * request, so it would mean a dead inference worker.
   */
  private record Upload(String name, String contentType, byte[] body, Set<String> allowed) {}

  private record Outcome(String id, String upload, String result, boolean retryAfter) {}

  private final AtomicInteger ids = new AtomicInteger();
  private PackagedService service;
  private URI classify;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeAll
  void startServiceWithSmallHeap() throws Exception {
    Path work = Files.createTempDirectory("at-limit-uploads-it");
    Path model =
        TinyModels.write(
            work.resolve("tiny.onnx"), TinyModels.Layout.NHWC, 32, 1000, true, "synthetic:7");
    service =
        PackagedService.start(
            work,
            List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"),
            List.of(
                "--classifier.model.path=" + model,
                "--classifier.inference.threading=fixed",
                "--classifier.inference.intra-op-threads=1"));
    classify = service.uri("/v1/classify");
  }

  @AfterAll
  void stopService() throws InterruptedException {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void concurrentUploadsAtEveryLimitGetDocumentedAnswersAndTheServiceSurvives() throws Exception {
    List<Upload> uploads = uploads();
    List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        List<Future<?>> burst = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          Upload upload = uploads.get((round * CLIENTS + i) % uploads.size());
          burst.add(clients.submit(() -> outcomes.add(send(upload))));
        }
        for (Future<?> request : burst) {
          request.get(2, TimeUnit.MINUTES);
        }
      }
    } finally {
      clients.shutdownNow();
    }

    assertThat(service.alive())
        .as("service alive after the bursts; see %s", service.log())
        .isTrue();
    String serviceLog = Files.readString(service.log());
    Map<String, Upload> byName = new TreeMap<>();
    uploads.forEach(u -> byName.put(u.name(), u));
    Map<String, Map<String, Integer>> tally = new TreeMap<>();
    List<Outcome> undocumented = new ArrayList<>();
    for (Outcome o : outcomes) {
      Set<String> allowed = byName.get(o.upload()).allowed();
      if (!allowed.contains(o.result())) {
        undocumented.add(o);
      }
      tally.computeIfAbsent(o.upload(), k -> new TreeMap<>()).merge(o.result(), 1, Integer::sum);
    }
    List<Outcome> withoutRetryAfter =
        outcomes.stream()
            .filter(o -> o.result().startsWith("429") || o.result().startsWith("503"))
            .filter(o -> !o.retryAfter())
            .toList();
    long serverErrors =
        outcomes.stream()
            .filter(o -> o.result().startsWith("5") && !o.result().equals(OVERLOADED))
            .count();

    System.out.println("at-limit uploads, answers by upload: " + tally);
    assertThat(outcomes).hasSize(CLIENTS * ROUNDS);
    assertThat(undocumented).as("undocumented answers; all answers: %s", tally).isEmpty();
    assertThat(serverErrors).as("5xx other than 503 overloaded; all: %s", tally).isZero();
    assertThat(withoutRetryAfter).as("429/503 without Retry-After").isEmpty();
    assertThat(serviceLog).doesNotContain("OutOfMemoryError");
    Outcome after =
        send(
            new Upload(
                "small JPEG afterwards",
                "image/jpeg",
                TestImages.solid(64, 48, Color.RED, "jpg"),
                Set.of(OK)));
    assertThat(after.result()).isEqualTo(OK);
  }

  private List<Upload> uploads() throws IOException {
    byte[] bmpAtUploadLimit = HostileUploads.bmp24(2640, 2640);
    byte[] bmpOverUploadLimit = HostileUploads.bmp24(2648, 2648);
    byte[] bmpAtPixelLimit = HostileUploads.bmp1(7071, 7071);
    byte[] bmpOverPixelLimit = HostileUploads.bmp1(7072, 7071);
    byte[] ztxtBomb = HostileUploads.pngWithGibZtxt(640, 480);
    byte[] progressive = progressiveJpeg(4000, 3000);
    List<byte[]> sixteen = Collections.nCopies(MAX_PARTS, progressive);
    byte[] maxParts = multipart(sixteen);
    byte[] truncated = Arrays.copyOf(bmpAtUploadLimit, bmpAtUploadLimit.length / 2);

    // The inputs are what their names say: just under or just over each limit.
    assertThat(multipart(List.of(bmpAtUploadLimit)).length).isLessThanOrEqualTo(MAX_UPLOAD);
    assertThat(bmpOverUploadLimit.length).isGreaterThan(MAX_UPLOAD);
    assertThat(7071L * 7071).isLessThanOrEqualTo(MAX_PIXELS);
    assertThat(7072L * 7071).isGreaterThan(MAX_PIXELS);
    assertThat(maxParts.length).isLessThanOrEqualTo(MAX_UPLOAD);

    Set<String> classifiable = Set.of(OK, QUEUE_FULL, OVERLOADED);
    return List.of(
        raw("BMP 2640x2640x24 (just under 20 MiB)", "image/bmp", bmpAtUploadLimit, classifiable),
        part("BMP 2640x2640x24 (just under 20 MiB)", List.of(bmpAtUploadLimit), classifiable),
        new Upload(
            "BMP 2648x2648x24 raw (over 20 MiB)",
            "image/bmp",
            bmpOverUploadLimit,
            Set.of(PAYLOAD_TOO_LARGE)),
        raw("BMP 7071x7071x1 (just under 50 MP)", "image/bmp", bmpAtPixelLimit, classifiable),
        part(
            "BMP 7072x7071x1 (just over 50 MP)",
            List.of(bmpOverPixelLimit),
            Set.of(IMAGE_TOO_LARGE, QUEUE_FULL, OVERLOADED)),
        raw("PNG with 1 GiB zTXt", "image/png", ztxtBomb, classifiable),
        part("PNG with 1 GiB zTXt", List.of(ztxtBomb), classifiable),
        raw("progressive JPEG 4000x3000", "image/jpeg", progressive, classifiable),
        part("progressive JPEG 4000x3000", List.of(progressive), classifiable),
        part("16 x progressive JPEG 4000x3000", sixteen, classifiable),
        part("BMP truncated to half", List.of(truncated), Set.of(CORRUPT, QUEUE_FULL, OVERLOADED)));
  }

  private static Upload raw(String name, String type, byte[] body, Set<String> allowed) {
    return new Upload(name + " raw", type, body, allowed);
  }

  private static Upload part(String name, List<byte[]> images, Set<String> allowed) {
    return new Upload(
        name + " multipart",
        "multipart/form-data; boundary=" + BOUNDARY,
        multipart(images),
        allowed);
  }

  private static final String BOUNDARY = "at-limit-boundary-7f3a";

  private static byte[] multipart(List<byte[]> images) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < images.size(); i++) {
      out.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"image-"
                  + i
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(images.get(i));
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private Outcome send(Upload upload) {
    String id = "it-" + ids.incrementAndGet();
    HttpRequest request =
        HttpRequest.newBuilder(classify)
            .header("Content-Type", upload.contentType())
            .header("X-Request-Id", id)
            .timeout(Duration.ofSeconds(90))
            .POST(HttpRequest.BodyPublishers.ofByteArray(upload.body()))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      String result = Integer.toString(status);
      if (status != 200) {
        Matcher type = TYPE.matcher(response.body());
        result += " " + (type.find() ? type.group(1) : "(no problem type)");
      }
      return new Outcome(
          id, upload.name(), result, response.headers().firstValue("Retry-After").isPresent());
    } catch (IOException e) {
      return new Outcome(id, upload.name(), LOST, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A smooth photo-like picture (gradients and waves, no noise), so that 16 of them at 12 MP fit in
   * one 20 MiB body, written progressively by ImageIO with its default scan script.
   */
  private static byte[] progressiveJpeg(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double wave = Math.sin(x * 0.004 + 0.7 * Math.sin(y * 0.003));
        int r = (int) (64 + 100.0 * x / width + 40 * wave);
        int g = (int) (80 + 90.0 * y / height - 30 * wave);
        int b = (int) (150 - 60.0 * x * y / ((double) width * height) + 25 * wave);
        row[x] = r << 16 | g << 8 | b;
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } finally {
      writer.dispose();
    }
  }
}
