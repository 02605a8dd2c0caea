package dev.classifier.inference;

/**
 * How the container's CPUs are split between inference workers: each worker's session call gets
 * {@code intraOpThreads}, and {@code workers × intraOpThreads} never exceeds the CPUs, because two
 * session calls that each use every core only slow each other down.
 */
public record ThreadBudget(int cpus, int workers, int intraOpThreads) {

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
    return new ThreadBudget(cpus, workers, intraOp);
  }
}
