package dev.classifier.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import dev.classifier.testing.TinyModels;
import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tensors already in the model's input layout skip decoding and preprocessing and are classified
 * like the image they came from; a tensor of the wrong size is refused before any work.
 */
class TensorInputTest extends TinyModelServer {

  @Autowired ClassificationService service;

  /** A client that stays connected and arrived just now. */
  private static final class Present implements Client {
    private final long now = System.nanoTime();

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
  }

  /** A solid colour of red {@code red} as the tiny model takes it: NHWC, scaled to [-1, 1] (tf). */
  private static float[] solidRed(int red) {
    float[] tensor = new float[SIZE * SIZE * 3];
    for (int pixel = 0; pixel < SIZE * SIZE; pixel++) {
      tensor[pixel * 3] = red / 127.5f - 1;
      tensor[pixel * 3 + 1] = -1;
      tensor[pixel * 3 + 2] = -1;
    }
    return tensor;
  }

  @Test
  void aTensorIsClassifiedLikeTheImageItCameFrom() throws Exception {
    Classification fromTensor =
        service
            .classify(
                new ClassificationRequest(
                    new Images.Tensors(List.of(solidRed(102))), 3, false, new Present()))
            .get(10, TimeUnit.SECONDS);
    byte[] png = TestImages.solid(SIZE, SIZE, new Color(102, 0, 0), "png");
    Classification fromImage =
        service
            .classify(
                new ClassificationRequest(
                    new Images.Encoded(png, List.of(new ImageSlice(0, png.length))),
                    3,
                    false,
                    new Present()))
            .get(10, TimeUnit.SECONDS);

    Classification.ImageResult tensor = fromTensor.results().get(0);
    Classification.ImageResult image = fromImage.results().get(0);
    assertThat(tensor.image()).isNull();
    assertThat(image.image()).isNotNull();
    assertThat(tensor.scores()).hasSize(CLASSES);
    assertThat(tensor.top().get(0).index()).isEqualTo(TinyModels.expectedTop1(102, CLASSES));
    assertThat(tensor.top().stream().map(Classification.Prediction::index).toList())
        .isEqualTo(image.top().stream().map(Classification.Prediction::index).toList());
    assertThat(tensor.timings().decodeMs()).isEqualTo(0.0);
    assertThat(tensor.timings().preprocessMs()).isEqualTo(0.0);
  }

  @Test
  void aTensorOfTheWrongSizeIsRefusedBeforeAnyWork() {
    float[] tooShort = Arrays.copyOf(solidRed(5), 10);

    assertThatThrownBy(
            () ->
                service.classify(
                    new ClassificationRequest(
                        new Images.Tensors(List.of(solidRed(5), tooShort)),
                        1,
                        false,
                        new Present())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("tensor 1 has 10 elements; the model takes " + SIZE * SIZE * 3)
        .extracting(e -> ((InvalidRequestException) e).reason())
        .isEqualTo(InvalidRequestException.Reason.TENSOR_SIZE);
  }

  @Test
  void aTopKOutOfRangeIsRefused() {
    assertThatThrownBy(
            () ->
                new ClassificationRequest(
                    new Images.Tensors(List.of(solidRed(5))), 1001, false, new Present()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("topK must be between 1 and 1000, was 1001");
  }

  /** The limit is the core's, so tensors from the OIP doors meet it as uploads from /v1 do. */
  @Test
  void moreImagesThanTheLimitAreRefusedBeforeAnyWork() {
    List<float[]> five = List.of(solidRed(1), solidRed(2), solidRed(3), solidRed(4), solidRed(5));

    assertThatThrownBy(
            () ->
                service.classify(
                    new ClassificationRequest(new Images.Tensors(five), 1, false, new Present())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("5 images in one request; at most 4 are accepted")
        .extracting(e -> ((InvalidRequestException) e).reason())
        .isEqualTo(InvalidRequestException.Reason.TOO_MANY_IMAGES);
  }
}
