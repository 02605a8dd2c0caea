package dev.classifier.model.build;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;

/**
 * The process's ONNX Runtime environment with one intra-op thread pool that every session shares.
 * Two sessions with pools of their own each size them for all the CPUs and compete for them: in the
 * INT8 experiment (2026-12-02), alternating an FP32 and an INT8 session that way cut the measured
 * INT8 speed-up from 3.0× to 2.3×. (With spinning off, as here, alternating runs measured the same
 * either way; the shared pool still keeps sessions that run at the same time from oversubscribing
 * the CPUs.)
 *
 * <p>ONNX Runtime's environment is a process singleton whose thread pools are fixed when it is
 * created, so a command creates this first, before anything else touches ONNX Runtime. Where an
 * environment already exists (a test JVM, a running service) its pools cannot be added: the
 * sessions then get pools of their own with {@code threads} threads each, and {@link
 * #sharedPools()} says so.
 *
 * @param threads intra-op threads of the shared pool, or of each session's pool without one
 * @param sharedPools whether sessions use the environment's global pool
 */
public record OrtRuntime(OrtEnvironment environment, int threads, boolean sharedPools) {

  public OrtRuntime {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
  }

  /**
   * Creates the environment with a global pool of {@code threads} intra-op threads (spinning off,
   * as the service runs), or takes the existing environment when one was created before.
   */
  public static OrtRuntime create(int threads) {
    try (OrtEnvironment.ThreadingOptions pools = new OrtEnvironment.ThreadingOptions()) {
      pools.setGlobalIntraOpNumThreads(threads);
      pools.setGlobalInterOpNumThreads(1);
      // idle threads would otherwise busy-wait and take CPU from image decoding and the other
      // session
      pools.setGlobalSpinControl(false);
      OrtEnvironment environment =
          OrtEnvironment.getEnvironment(
              OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "xception-classifier", pools);
      return new OrtRuntime(environment, threads, true);
    } catch (IllegalStateException e) {
      // "Tried to specify the thread pool when creating an OrtEnvironment, but one already exists"
      if (e.getMessage() == null || !e.getMessage().contains("already exists")) {
        throw e;
      }
      return new OrtRuntime(OrtEnvironment.getEnvironment(), threads, false);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot configure ONNX Runtime thread pools", e);
    }
  }

  /**
   * Options for one session: the shared pool (or a pool of {@code threads}), one operator at a
   * time, all graph optimisations (QDQ fusion among them). The caller closes them.
   */
  public OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      if (sharedPools) {
        options.disablePerSessionThreads();
      } else {
        options.setIntraOpNumThreads(threads);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
      }
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /** For command output: how the sessions use their threads. */
  public String describe() {
    return sharedPools
        ? "one pool of " + threads + " intra-op threads shared by all sessions"
        : "a pool of "
            + threads
            + " intra-op threads per session (ONNX Runtime was started before, without shared"
            + " pools)";
  }
}
