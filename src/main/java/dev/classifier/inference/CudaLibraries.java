package dev.classifier.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Names the CUDA libraries the ONNX Runtime GPU build needs that cannot be found, because ONNX
 * Runtime itself only reports "Failed to load shared library". A best-effort search of the places
 * the dynamic loader looks ({@code LD_LIBRARY_PATH}, the ld.so.conf directories, the usual CUDA
 * locations); it only adds a hint.
 */
final class CudaLibraries {

  /** What onnxruntime_gpu 1.29 (CUDA 12, cuDNN 9) loads, plus the driver. */
  static final List<String> REQUIRED =
      List.of(
          "libcuda.so.1",
          "libcudart.so.12",
          "libcublas.so.12",
          "libcublasLt.so.12",
          "libcufft.so.11",
          "libcurand.so.10",
          "libcudnn.so.9");

  private CudaLibraries() {}

  static List<String> missing(String ldLibraryPath) {
    Set<Path> dirs = searchPath(ldLibraryPath);
    List<String> missing = new ArrayList<>();
    for (String library : REQUIRED) {
      if (dirs.stream().noneMatch(dir -> Files.exists(dir.resolve(library)))) {
        missing.add(library);
      }
    }
    return missing;
  }

  private static Set<Path> searchPath(String ldLibraryPath) {
    Set<Path> dirs = new LinkedHashSet<>();
    if (ldLibraryPath != null) {
      for (String dir : ldLibraryPath.split(":")) {
        if (!dir.isBlank()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    for (String dir :
        List.of(
            "/usr/local/cuda/lib64",
            "/usr/local/nvidia/lib64",
            "/usr/lib/x86_64-linux-gnu",
            "/usr/lib64",
            "/usr/lib",
            "/lib/x86_64-linux-gnu",
            "/lib64")) {
      dirs.add(Path.of(dir));
    }
    dirs.addAll(ldSoConfDirectories());
    return dirs;
  }

  private static List<Path> ldSoConfDirectories() {
    Path confDir = Path.of("/etc/ld.so.conf.d");
    if (!Files.isDirectory(confDir)) {
      return List.of();
    }
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> confs = Files.list(confDir)) {
      for (Path conf : confs.filter(p -> p.toString().endsWith(".conf")).toList()) {
        for (String line : Files.readAllLines(conf)) {
          String trimmed = line.strip();
          if (trimmed.startsWith("/")) {
            dirs.add(Path.of(trimmed));
          }
        }
      }
    } catch (IOException e) {
      // Only a hint: an unreadable configuration just narrows the search.
    }
    return dirs;
  }
}
