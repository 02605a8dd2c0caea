package dev.classifier.inference;

/**
 * What one session call returns per image.
 *
 * @param scores one row of raw scores per image
 * @param features one feature map per image, or null when the feature output was not fetched
 */
record BatchOutput(float[][] scores, FeatureMap[] features) {}
