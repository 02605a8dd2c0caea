package dev.classifier.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import java.awt.Color;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Which thread does the work after the image is prepared: with the service idle, a one-image
 * request's session call and its top-k run on the caller's thread, which gets the answer already
 * complete; a larger request's images are queued for the workers and assembled where the last
 * answer arrives; class activation maps are still computed on the {@code responses} executor, off
 * any thread that runs session calls.
 */
class AnsweringThreadTest extends TinyModelServer {

  @Autowired ClassificationService service;
  @Autowired dev.classifier.inference.Inference inference;

  /** A client that stays connected and notes which thread assembled its answer. */
  private static final class Watching implements Client {
    final long now = System.nanoTime();
    final List<String> assembledOn = new CopyOnWriteArrayList<>();

    @Override
    public long arrivedNanos() {
      return now;
    }

    @Override
    public long receivedNanos() {
      return now;
    }

    @Override
    public boolean gone() {
      return false;
    }

    @Override
    public void timings(List<Classification.Timings> perImage) {
      assembledOn.add(Thread.currentThread().getName());
    }
  }

  private CompletableFuture<Classification> classify(int images, boolean explain, Watching client) {
    byte[] png = TestImages.solid(SIZE, SIZE, new Color(90, 0, 0), "png");
    byte[] body = new byte[png.length * images];
    List<ImageSlice> slices = new java.util.ArrayList<>();
    for (int i = 0; i < images; i++) {
      System.arraycopy(png, 0, body, i * png.length, png.length);
      slices.add(new ImageSlice(i * png.length, png.length));
    }
    return service.classify(
        new ClassificationRequest(new Images.Encoded(body, slices), 3, explain, client));
  }

  @Test
  void anIdleServiceAnswersAOneImageRequestOnTheCallersThread() throws Exception {
    Watching client = new Watching();

    CompletableFuture<Classification> answer = classify(1, false, client);

    assertThat(answer).isDone();
    Classification.ImageResult result = answer.get().results().get(0);
    assertThat(result.timings().batchSize()).isEqualTo(1);
    assertThat(client.assembledOn).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void classActivationMapsAreComputedOnTheResponsesExecutor() throws Exception {
    Watching client = new Watching();

    Classification answer = classify(1, true, client).get(10, TimeUnit.SECONDS);

    assertThat(answer.results().get(0).top().get(0).map()).isNotNull();
    assertThat(client.assembledOn).singleElement().asString().startsWith("responses-");
  }

  @Test
  void aLargerRequestIsAssembledWhereItsLastAnswerArrivesNeverHandedToTheExecutor()
      throws Exception {
    Watching client = new Watching();
    String caller = Thread.currentThread().getName();

    Classification answer = classify(2, false, client).get(10, TimeUnit.SECONDS);

    assertThat(answer.results()).hasSize(2);
    // The worker that answers last assembles, or the caller if both answered before it asked.
    assertThat(client.assembledOn)
        .singleElement()
        .matches(
            thread -> thread.startsWith("inference-") || thread.equals(caller), "worker or caller");
    assertThat(inference.queueDepth()).isZero();
  }
}
