package dev.classifier.bench;

import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * How long a parked thread takes to run again once another thread hands it work: the price of each
 * hand-off between threads inside a request (socket poller to container thread, request thread to
 * inference worker, server to client), measured on the machine the benchmark runs on.
 *
 * <p>Two conditions: the receiver parked for 1 ms while the handing thread computed (a hand-off
 * inside a request), and both parked for an idle gap like the one between two requests of a single
 * client. On a virtual machine an idle vCPU is descheduled by the host, and waking it is what
 * costs.
 */
final class WakeLatency {

  /** From handing over to the receiver running, per condition. */
  record Result(Latencies afterWork, Latencies afterIdle, Duration idle) {}

  private WakeLatency() {}

  static Result measure(int wakes, Duration idle) throws InterruptedException {
    SynchronousQueue<Long> handOff = new SynchronousQueue<>();
    long[] latency = new long[1];
    Object lock = new Object();
    Thread receiver =
        new Thread(
            () -> {
              try {
                while (true) {
                  long sent = handOff.take();
                  long now = System.nanoTime();
                  synchronized (lock) {
                    latency[0] = now - sent;
                    lock.notifyAll();
                  }
                }
              } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
              }
            },
            "wake-receiver");
    receiver.setDaemon(true);
    receiver.start();
    try {
      long[] afterWork = new long[wakes];
      long[] afterIdle = new long[wakes];
      for (int i = 0; i < wakes; i++) {
        busyFor(Duration.ofMillis(1));
        afterWork[i] = handOver(handOff, latency, lock);
        TimeUnit.NANOSECONDS.sleep(idle.toNanos());
        afterIdle[i] = handOver(handOff, latency, lock);
      }
      return new Result(Latencies.of(afterWork), Latencies.of(afterIdle), idle);
    } finally {
      receiver.interrupt();
    }
  }

  private static long handOver(SynchronousQueue<Long> handOff, long[] latency, Object lock)
      throws InterruptedException {
    synchronized (lock) {
      latency[0] = 0;
    }
    handOff.put(System.nanoTime());
    synchronized (lock) {
      while (latency[0] == 0) {
        lock.wait();
      }
      return latency[0];
    }
  }

  private static void busyFor(Duration time) {
    long end = System.nanoTime() + time.toNanos();
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }
}
