package dev.classifier.explain;

import dev.classifier.model.ClassifierHead;
import dev.classifier.model.HeadLookup;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * The explain package's door: class activation maps for the served model, and the PNG overlay that
 * shows one on the image. Built once from what {@link dev.classifier.model.ClassifierHeadReader}
 * found; for a model without a usable head every method but the queries refuses with {@link
 * ExplanationsUnsupportedException}. Pure and thread-safe.
 */
public final class Explainer {

  private final HeadLookup lookup;
  private final ClassActivationMaps maps;

  public Explainer(HeadLookup lookup) {
    this.lookup = lookup;
    this.maps = lookup.head().map(ClassActivationMaps::new).orElse(null);
  }

  public boolean supported() {
    return maps != null;
  }

  /** The graph output to fetch with the scores when explaining; empty when unsupported. */
  public Optional<String> featureOutput() {
    return lookup.head().map(ClassifierHead::featureOutput);
  }

  /**
   * The maps of {@code classes} for one image.
   *
   * @param features the image's slice of the feature output
   * @param shape its dimensions without the batch, as the model declares them ({@code [K, H, W]}
   *     for an NCHW map)
   */
  public List<ActivationMap> maps(float[] features, int[] shape, int... classes) {
    if (maps == null) {
      throw unsupported();
    }
    return maps.compute(features, shape, classes);
  }

  /**
   * The map drawn over the upright image, as PNG bytes of the image's own size.
   *
   * @param opacity of the heatmap, in [0, 1]
   */
  public byte[] overlayPng(BufferedImage upright, ActivationMap map, double opacity) {
    return OverlayRenderer.png(OverlayRenderer.overlay(upright, map, opacity));
  }

  private ExplanationsUnsupportedException unsupported() {
    return new ExplanationsUnsupportedException(lookup.unsupportedReason().orElse("no head"));
  }
}
