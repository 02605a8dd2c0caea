package dev.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaLibrariesTest {

  @TempDir Path dir;

  @Test
  void librariesFoundOnLdLibraryPathAreNotReported() throws Exception {
    for (String library : CudaLibraries.REQUIRED) {
      Files.createFile(dir.resolve(library));
    }
    assertThat(CudaLibraries.missing(dir.toString())).isEmpty();
  }

  @Test
  void eachAbsentLibraryIsNamed() throws Exception {
    Files.createFile(dir.resolve("libcudart.so.12"));
    // This machine has no CUDA stack; anything found elsewhere would make the expectation below
    // wrong.
    org.junit.jupiter.api.Assumptions.assumeTrue(
        CudaLibraries.missing("").contains("libcudnn.so.9"));

    assertThat(CudaLibraries.missing("/nonexistent:" + dir))
        .doesNotContain("libcudart.so.12")
        .contains("libcudnn.so.9", "libcublasLt.so.12");
  }
}
