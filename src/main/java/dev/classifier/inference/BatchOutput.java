package dev.classifier.inference;

/**
 * What one session call returned, one row per image in input order.
 *
 * @param scores the model's raw score rows (probabilities or logits, as the model emits them)
 * @param features each image's feature map (channels x height x width, row-major), or null when no
 *     image of the batch asked for it
 */
record BatchOutput(float[][] scores, float[][] features) {}
