package dev.classifier.inference;

/**
 * How the container's CPUs are split between inference workers: each worker's session call gets
 * {@code intraOpThreads}, and {@code workers × intraOpThreads} never exceeds the CPUs, because two
 * session calls that each use every core only slow each other down.
 *
 * <p>{@code adaptive} budgets do both: one worker per CPU, and a session call that runs alone gets
 * every CPU ({@code intraOpThreads}), while calls that overlap each run on one thread, so a busy
 * service runs one single-threaded call per CPU with no intra-op synchronisation to wait on.
 */
public record ThreadBudget(int cpus, int workers, int intraOpThreads, boolean adaptive) {

  /**
   * @param cpus the container's CPU budget; {@link Runtime#availableProcessors()} already honours
   *     cgroup quotas
   * @param configuredIntraOpThreads 0 to take an equal share of the CPUs
   * @throws IllegalArgumentException when the configuration would oversubscribe the CPUs
   */
  public static ThreadBudget of(int cpus, int workers, int configuredIntraOpThreads) {
    if (workers < 1 || workers > cpus) {
      throw new IllegalArgumentException(
          "classifier.inference.workers="
              + workers
              + " must be between 1 and the "
              + cpus
              + " CPUs available");
    }
    int intraOp =
        configuredIntraOpThreads == 0 ? Math.max(1, cpus / workers) : configuredIntraOpThreads;
    if ((long) workers * intraOp > cpus) {
      throw new IllegalArgumentException(
          "classifier.inference.workers ("
              + workers
              + ") × intra-op-threads ("
              + intraOp
              + ") exceeds the "
              + cpus
              + " CPUs available; lower one of them or set intra-op-threads=0");
    }
    return new ThreadBudget(cpus, workers, intraOp, false);
  }

  /** One worker per CPU; a call alone uses them all. With one CPU there is nothing to adapt. */
  public static ThreadBudget adaptive(int cpus) {
    if (cpus < 1) {
      throw new IllegalArgumentException("no CPUs: " + cpus);
    }
    return new ThreadBudget(cpus, cpus, cpus, cpus > 1);
  }

  /** {@code adaptive} or {@code fixed}, as the property and model info spell it. */
  public String threading() {
    return adaptive ? "adaptive" : "fixed";
  }
}
