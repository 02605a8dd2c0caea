package dev.classifier.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ImagePreprocessorConcurrencyTest {

  @Test
  void concurrentCallsGiveTheSameTensorsAsSequentialOnes() throws Exception {
    ImagePreprocessor preprocessor = TestImages.preprocessor(true);
    List<byte[]> inputs =
        List.of(
            TestImages.encode(TestImages.noise(640, 480, 1), "jpeg"),
            TestImages.encode(TestImages.noise(300, 200, 2), "png"),
            TestImages.fixture("orient-6.jpg"),
            TestImages.fixture("cmyk.jpg"),
            TestImages.fixture("adobe-rgb.png"),
            TestImages.fixture("lossy.webp"));
    List<float[]> expected = new ArrayList<>();
    for (byte[] input : inputs) {
      expected.add(
          preprocessor
              .prepare(input, new InputSpec(299, 299, TensorLayout.NCHW, Normalization.TF))
              .pixels());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int round = 0; round < 8; round++) {
        for (byte[] input : inputs) {
          futures.add(
              pool.submit(
                  () ->
                      preprocessor
                          .prepare(
                              input, new InputSpec(299, 299, TensorLayout.NCHW, Normalization.TF))
                          .pixels()));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertArrayEquals(
            expected.get(i % inputs.size()), futures.get(i).get(), "input " + i % inputs.size());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
